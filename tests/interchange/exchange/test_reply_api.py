"""Replies over the API: Safe Home makes the reply once it answered; the consul previews and
applies it; nobody else makes, previews or applies one, and a refused reply answers 422 with its
reason and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.interchange.exchange.models import ReceivedReply, SentReply
from nrm.referrals.choices import ReferralStatus
from tests.conftest import _member
from tests.interchange.exchange.packages import as_deployment, edited
from tests.interchange.exchange.replies import accepted_with_arrival, imported, reply_from_bishkek
from tests.interchange.exchange.test_api import call
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(consul, case_worker, zhyldyz_referral, zhyldyz_return, russia):
    zhyldyz_return.travel_on = timezone.localdate() - dt.timedelta(days=1)
    zhyldyz_return.save()
    return imported(case_worker, from_moscow(consul, zhyldyz_referral))


def test_safe_home_replies_and_the_consul_applies_it_over_the_api(
        api_as, case_worker, consul, received, zhyldyz_referral):
    api = api_as(case_worker)
    code = received.referral.display_code
    early = api.post(f"/exchange/referrals/{code}/incoming/reply")
    assert early.status_code == 422 and "nothing to report" in early.json()["detail"]
    accepted_with_arrival(case_worker, received)
    made = api.post(f"/exchange/referrals/{code}/incoming/reply")
    assert made.status_code == 201
    assert made["Content-Disposition"].startswith('attachment; filename="nrm-reply-')
    reply = made.content
    assert json.loads(reply)["header"]["schema"] == "nrm-exchange-reply/1"
    assert SentReply.objects.count() == 1

    with as_deployment("RU"):
        consul_api = api_as(consul)
        preview = call(consul_api, "POST", "/exchange/replies/preview", document=reply)
        assert preview.status_code == 200, preview.json()
        body = preview.json()
        assert (body["status_now"], body["status_reported"], body["steps"]) == (
            "sent", "accepted", ["accepted"])
        assert body["records_reception"] and body["referral_code"] == \
            zhyldyz_referral.display_code
        assert not ReceivedReply.objects.exists()
        applied = call(consul_api, "POST", "/exchange/replies", document=reply)
        assert applied.status_code == 201, applied.json()
        assert applied.json()["status"] == "accepted" and applied.json()["reception_recorded"]
        again = call(consul_api, "POST", "/exchange/replies", document=reply)
        assert again.status_code == 422 and again.json()["reason"] == "reply_replayed"
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.ACCEPTED


def test_a_refused_reply_answers_422_and_changes_nothing(api_as, case_worker, consul, outsider,
                                                         received, zhyldyz_referral):
    accepted_with_arrival(case_worker, received)
    reply = reply_from_bishkek(case_worker, received)
    with as_deployment("RU"):
        for path in ("/exchange/replies/preview", "/exchange/replies"):
            tampered = call(api_as(consul), "POST", path,
                            document=edited(reply, _tamper_ciphertext))
            assert tampered.status_code == 422
            assert tampered.json()["reason"] == "bad_signature"
            elsewhere = call(api_as(outsider), "POST", path, document=reply)
            assert elsewhere.status_code == 422
            assert elsewhere.json()["reason"] == "other_referrer"
    assert not ReceivedReply.objects.exists()
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.SENT


def test_only_safe_home_makes_the_reply(api_as, case_worker, consul, outsider, coordinator,
                                        received, safe_home):
    accepted_with_arrival(case_worker, received)
    code = received.referral.display_code
    others = [outsider, consul, coordinator,
              _member("safe_home_admin", safe_home, Role.ORGANISATION_ADMIN)]
    for other in others:
        response = api_as(other).post(f"/exchange/referrals/{code}/incoming/reply")
        assert response.status_code in (403, 404), (other, response.status_code)
    assert not SentReply.objects.exists()


def test_roles_without_cases_may_not_preview_or_apply_a_reply(api_as, case_worker, received,
                                                              moscow_consulate):
    accepted_with_arrival(case_worker, received)
    reply = reply_from_bishkek(case_worker, received)
    with as_deployment("RU"):
        admin = _member("consulate_admin", moscow_consulate, Role.ORGANISATION_ADMIN)
        for path in ("/exchange/replies/preview", "/exchange/replies"):
            assert call(api_as(admin), "POST", path, document=reply).status_code == 403
    assert not ReceivedReply.objects.exists()
