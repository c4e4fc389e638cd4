"""The pages of a reply: Safe Home makes and downloads it from the package page once it has
answered; the consul uploads it on the import page, reads what it would change and applies it,
and the referral page says the answer came by reply package. Nobody else makes or applies one."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nrm.interchange.exchange.models import ReceivedReply, SentReply
from nrm.referrals.choices import ReferralStatus
from tests.conftest import login
from tests.interchange.exchange.packages import as_deployment, edited
from tests.interchange.exchange.replies import accepted_with_arrival, imported, reply_from_bishkek
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db

IMPORT = "interchange:exchange:package_import"


@pytest.fixture
def received(consul, case_worker, zhyldyz_referral, zhyldyz_return, russia):
    zhyldyz_return.travel_on = timezone.localdate() - dt.timedelta(days=1)
    zhyldyz_return.save()
    return imported(case_worker, from_moscow(consul, zhyldyz_referral))


def upload(client: Client, document: bytes):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(
        "nrm-reply.json", document, content_type="application/json")})


def test_safe_home_makes_and_downloads_a_reply_once_it_answered(client, case_worker,
                                                                received):
    login(client, case_worker)
    code = received.referral.display_code
    incoming = reverse("interchange:exchange:incoming", args=[code])
    make = reverse("interchange:exchange:incoming_reply", args=[code])
    page = client.get(incoming).content.decode()
    assert 'id="make-reply"' not in page and "Answer the referral first" in page
    refused = client.post(make)
    assert refused["Location"] == incoming and not SentReply.objects.exists()
    assert "nothing to report" in client.get(incoming).content.decode()

    accepted_with_arrival(case_worker, received)
    assert 'id="make-reply"' in client.get(incoming).content.decode()
    response = client.post(make)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nrm-reply-')
    assert response["Cache-Control"] == "no-store"
    assert b"nrm-exchange-reply/1" in response.content
    made = SentReply.objects.get()
    table = client.get(incoming).content.decode()
    assert 'id="replies-made"' in table and str(made.package_id) in table


def test_only_safe_home_makes_its_reply(client, case_worker, received, outsider, consul):
    accepted_with_arrival(case_worker, received)
    make = reverse("interchange:exchange:incoming_reply", args=[received.referral.display_code])
    assert client.post(make)["Location"].startswith(reverse("accounts:login"))
    for other in (outsider, consul):
        login(client, other)
        assert client.post(make).status_code == 404
    assert not SentReply.objects.exists()


def test_the_consul_previews_and_applies_the_reply_on_the_import_page(
        client, consul, case_worker, received, zhyldyz_referral):
    accepted_with_arrival(case_worker, received)
    reply = reply_from_bishkek(case_worker, received)
    with as_deployment("RU"):
        login(client, consul)
        preview = upload(client, reply)
        text = preview.content.decode()
        assert preview.status_code == 200, text
        assert 'id="reply-preview"' in text and "Accepted" in text
        assert "Duty social worker" in text and "marked arrived" in text
        assert zhyldyz_referral.display_code in text
        assert not ReceivedReply.objects.exists()
        applied = client.post(reverse(IMPORT), {"package": base64.b64encode(reply).decode()})
        page_url = reverse("referrals:referral", args=[zhyldyz_referral.display_code])
        assert applied["Location"] == page_url
        page = client.get(page_url).content.decode()
        assert "The reply is applied" in page
        assert 'id="reply-packages"' in page and "Answered by reply package" in page
        assert "reported in a reply package" in page
        package_page = client.get(reverse("interchange:exchange:package_send",
                                          args=[zhyldyz_referral.display_code]))
        assert 'id="replies-applied"' in package_page.content.decode()
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.ACCEPTED


def test_a_tampered_reply_or_one_for_another_organisation_changes_nothing(
        client, consul, outsider, case_worker, received, zhyldyz_referral):
    accepted_with_arrival(case_worker, received)
    reply = reply_from_bishkek(case_worker, received)
    with as_deployment("RU"):
        login(client, consul)
        response = upload(client, edited(reply, _tamper_ciphertext))
        assert response.status_code == 400
        assert "changed after it was signed" in response.content.decode()
        login(client, outsider)
        response = upload(client, reply)
        assert response.status_code == 400
        assert "not of your organisation" in response.content.decode()
        confirmed = client.post(reverse(IMPORT), {"package": base64.b64encode(reply).decode()})
        assert confirmed.status_code == 400
    assert not ReceivedReply.objects.exists()
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.SENT


def test_roles_without_cases_may_not_open_a_reply(client, case_worker, received, org_admin,
                                                  analyst, coordinator):
    accepted_with_arrival(case_worker, received)
    reply = reply_from_bishkek(case_worker, received)
    assert upload(client, reply)["Location"].startswith(reverse("accounts:login"))
    for viewer in (org_admin, analyst, coordinator):
        login(client, viewer)
        assert upload(client, reply).status_code == 403
        assert client.post(reverse(IMPORT),
                           {"package": base64.b64encode(reply).decode()}).status_code == 403
    assert not ReceivedReply.objects.exists()
