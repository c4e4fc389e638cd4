"""A cancellation over the pages and the API: the consul makes it from the referral's package
page once she cancelled the referral, and the referral page tells her the partner learns of it
only so; Safe Home uploads it on the import page (or the API), reads which referral it cancels
and applies it, and the package page shows it. Nobody else makes, previews or applies one."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.interchange.exchange.models import ReceivedCancellation, SentCancellation
from nrm.interchange.exchange.services import package_import
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.services import referral_cancel
from tests.conftest import _member, login
from tests.interchange.exchange.packages import as_deployment, edited
from tests.interchange.exchange.test_api import call
from tests.interchange.exchange.test_cancellation import REASON, cancelled_in_moscow
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db

IMPORT = "interchange:exchange:package_import"


@pytest.fixture
def received(consul, case_worker, zhyldyz_referral, zhyldyz_return, russia):
    zhyldyz_return.travel_on = timezone.localdate() + dt.timedelta(days=2)
    zhyldyz_return.save()
    return package_import(viewer=case_worker, document=from_moscow(consul, zhyldyz_referral))


def upload(client: Client, document: bytes, **extra: str):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(
        "nrm-cancellation.json", document, content_type="application/json"), **extra})


# --- pages ---------------------------------------------------------------------------------------

def test_the_consul_makes_the_cancellation_from_the_package_page(client, consul, received,
                                                                 zhyldyz_referral):
    code = zhyldyz_referral.display_code
    page = reverse("interchange:exchange:package_send", args=[code])
    make = reverse("interchange:exchange:package_cancel", args=[code])
    with as_deployment("RU"):
        login(client, consul)
        assert 'id="make-cancellation"' not in client.get(page).content.decode()
        early = client.post(make)
        assert early["Location"] == page and not SentCancellation.objects.exists()
        assert "Cancel it on its page first" in client.get(page).content.decode()

        referral_cancel(viewer=consul, referral=zhyldyz_referral, reason=REASON)
        referral_page = client.get(reverse("referrals:referral", args=[code])).content.decode()
        assert 'id="cancel-at-partner"' in referral_page
        assert 'id="make-cancellation"' in client.get(page).content.decode()
        response = client.post(make)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(
            'attachment; filename="nrm-cancellation-')
        assert response["Cache-Control"] == "no-store"
        assert b"nrm-exchange-cancellation/1" in response.content
        made = SentCancellation.objects.get()
        assert str(made.package_id) in client.get(page).content.decode()


def test_only_the_consul_makes_it(client, consul, received, zhyldyz_referral, outsider,
                                  case_worker, moscow_consulate):
    with as_deployment("RU"):
        referral_cancel(viewer=consul, referral=zhyldyz_referral, reason=REASON)
        make = reverse("interchange:exchange:package_cancel",
                       args=[zhyldyz_referral.display_code])
        assert client.post(make)["Location"].startswith(reverse("accounts:login"))
        admin = _member("consulate_admin", moscow_consulate, Role.ORGANISATION_ADMIN)
        for other in (outsider, case_worker, admin):
            login(client, other)
            assert client.post(make).status_code == 404, other
    assert not SentCancellation.objects.exists()


def test_safe_home_previews_and_applies_it_on_the_import_page(client, consul, case_worker,
                                                              received, zhyldyz_referral):
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    code = received.referral.display_code
    login(client, case_worker)
    preview = upload(client, document)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'id="cancellation-preview"' in page and REASON in page
    assert code in page and 'id="apply-cancellation"' in page
    assert not ReceivedCancellation.objects.exists()

    carried = preview.context["confirm_form"]["package"].value()
    applied = client.post(reverse(IMPORT), {"package": carried})
    assert applied["Location"] == reverse("referrals:referral", args=[code])
    received.referral.refresh_from_db()
    assert received.referral.status == ReferralStatus.CANCELLED
    incoming = client.get(reverse("interchange:exchange:incoming", args=[code])).content.decode()
    assert 'id="cancellations-applied"' in incoming and REASON in incoming

    again = upload(client, document)
    assert again.status_code == 400
    assert "already applied" in again.content.decode()


def test_a_refused_cancellation_shows_why_and_changes_nothing(client, consul, case_worker,
                                                              outsider, received,
                                                              zhyldyz_referral):
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    login(client, case_worker)
    tampered = upload(client, edited(document, _tamper_ciphertext))
    assert tampered.status_code == 400
    assert "changed after it was signed" in tampered.content.decode()
    login(client, outsider)
    elsewhere = upload(client, document)
    assert elsewhere.status_code == 400 and "Pass it on" in elsewhere.content.decode()
    assert not ReceivedCancellation.objects.exists()
    received.referral.refresh_from_db()
    assert received.referral.status == ReferralStatus.SENT


def test_russian_preview(client, consul, case_worker, received, zhyldyz_referral):
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    login(client, case_worker)
    client.cookies["django_language"] = "ru"
    page = upload(client, document, language="ru").content.decode()
    assert "Применить отмену" in page


# --- API -----------------------------------------------------------------------------------------

def test_the_cancellation_over_the_api(api_as, consul, case_worker, received, zhyldyz_referral):
    code = zhyldyz_referral.display_code
    with as_deployment("RU"):
        api = api_as(consul)
        early = api.post(f"/exchange/referrals/{code}/cancellation")
        assert early.status_code == 422 and "Cancel it on its page first" in early.json()["detail"]
        referral_cancel(viewer=consul, referral=zhyldyz_referral, reason=REASON)
        made = api.post(f"/exchange/referrals/{code}/cancellation")
        assert made.status_code == 201
        document = made.content
    assert json.loads(document)["header"]["schema"] == "nrm-exchange-cancellation/1"

    safe_home = api_as(case_worker)
    preview = call(safe_home, "POST", "/exchange/cancellations/preview", document=document)
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["referrals_cancelled"] == [received.referral.display_code]
    assert body["reason"] == REASON and not body["packages_not_imported"]
    applied = call(safe_home, "POST", "/exchange/cancellations", document=document)
    assert applied.status_code == 201, applied.json()
    assert applied.json()["referrals_cancelled"] == 1
    again = call(safe_home, "POST", "/exchange/cancellations", document=document)
    assert again.status_code == 422 and again.json()["reason"] == "cancellation_replayed"


def test_others_are_refused_over_the_api(api_as, anonymous, consul, case_worker, outsider,
                                         coordinator, org_admin, received, zhyldyz_referral):
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    code = zhyldyz_referral.display_code
    with as_deployment("RU"):
        for other in (outsider, coordinator, case_worker):
            assert api_as(other).post(
                f"/exchange/referrals/{code}/cancellation").status_code == 404
    assert call(anonymous, "POST", "/exchange/referrals/{code}/cancellation",
                code=code).status_code == 401
    for path in ("/exchange/cancellations/preview", "/exchange/cancellations"):
        assert call(anonymous, "POST", path, document=document).status_code == 401
        assert call(api_as(org_admin), "POST", path, document=document).status_code == 403
        assert call(api_as(coordinator), "POST", path, document=document).status_code == 403
        elsewhere = call(api_as(outsider), "POST", path, document=document)
        assert elsewhere.status_code == 422
        assert elsewhere.json()["reason"] == "other_organisation"
    assert SentCancellation.objects.count() == 1
    assert not ReceivedCancellation.objects.exists()
