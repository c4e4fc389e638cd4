"""The pages of a package, from the receiving side: Safe Home uploads the consul's package,
reads the preview, imports it, accepts the referral and puts the return on the case; a tampered
file, or someone who is not Safe Home, gets nowhere and changes nothing."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nrm.assistance.models import ReturnJourney
from nrm.interchange.exchange.models import ReceivedPackage
from nrm.interchange.exchange.services import package_import
from nrm.referrals.choices import ReferralOrigin
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_accept
from tests.conftest import login
from tests.interchange.exchange.packages import edited
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db

IMPORT = "interchange:exchange:package_import"


@pytest.fixture
def package(consul, zhyldyz_referral, zhyldyz_return, russia) -> bytes:
    zhyldyz_return.travel_on = timezone.localdate() - dt.timedelta(days=1)
    zhyldyz_return.save()
    return from_moscow(consul, zhyldyz_referral)


def upload(client: Client, document: bytes):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(
        "nrm-package.json", document, content_type="application/json")})


def test_safe_home_previews_imports_and_puts_the_return_on_the_case(client, case_worker,
                                                                     package):
    login(client, case_worker)
    assert client.get(reverse(IMPORT)).status_code == 200
    preview = upload(client, package)
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "Жылдыз" in text and "Асанова" in text and "AC1234567" in text
    assert "Certificate of return" in text and "Consul Бекова to Manas airport" in text
    assert 'name="package"' in text
    assert not Referral.objects.filter(origin=ReferralOrigin.PACKAGE).exists()

    confirmed = client.post(reverse(IMPORT),
                            {"package": base64.b64encode(package).decode()})
    referral = Referral.objects.get(origin=ReferralOrigin.PACKAGE)
    assert confirmed["Location"] == reverse("referrals:referral", args=[referral.display_code])
    incoming = reverse("interchange:exchange:incoming", args=[referral.display_code])
    assert incoming in client.get(confirmed["Location"]).content.decode()
    page = client.get(incoming).content.decode()
    assert "Accept the referral to put the return" in page

    referral_accept(viewer=case_worker, referral=referral)
    page = client.get(incoming).content.decode()
    assert 'id="record-return"' in page
    added = client.post(reverse("interchange:exchange:incoming_return",
                                args=[referral.display_code]))
    journey = ReturnJourney.objects.get(case__organisation=case_worker.membership.organisation)
    assert added["Location"] == reverse("assistance:case",
                                        args=[journey.case.display_code]) + "#return"
    assert "Record the reception on arrival" in client.get(incoming).content.decode()


def test_a_tampered_file_is_refused_on_the_page_and_nothing_is_written(client, case_worker,
                                                                       package):
    login(client, case_worker)
    response = upload(client, edited(package, _tamper_ciphertext))
    assert response.status_code == 400
    assert "changed after it was signed" in response.content.decode()
    garbled = client.post(reverse(IMPORT), {"package": "not base64 at all!"})
    assert garbled.status_code == 400
    assert "did not come back whole" in garbled.content.decode()
    assert not ReceivedPackage.objects.exists()


def test_a_package_for_safe_home_shows_nothing_to_another_organisation(client, outsider,
                                                                       package):
    login(client, outsider)
    response = upload(client, package)
    assert response.status_code == 400
    text = response.content.decode()
    assert "not to your organisation" in text and "Жылдыз" not in text
    response = client.post(reverse(IMPORT), {"package": base64.b64encode(package).decode()})
    assert response.status_code == 400
    assert not ReceivedPackage.objects.exists()


def test_anonymous_and_roles_without_cases_are_refused(client, package, org_admin, analyst,
                                                       coordinator):
    assert client.get(reverse(IMPORT))["Location"].startswith(reverse("accounts:login"))
    assert upload(client, package)["Location"].startswith(reverse("accounts:login"))
    for viewer in (org_admin, analyst, coordinator):
        login(client, viewer)
        assert client.get(reverse(IMPORT)).status_code == 403
        assert upload(client, package).status_code == 403
    assert not ReceivedPackage.objects.exists()


def test_the_incoming_pages_are_safe_home_s_alone(client, case_worker, outsider, consul,
                                                  package):
    referral = package_import(viewer=case_worker, document=package).referral
    urls = [reverse("interchange:exchange:incoming", args=[referral.display_code]),
            reverse("interchange:exchange:incoming_return", args=[referral.display_code])]
    assert client.get(urls[0])["Location"].startswith(reverse("accounts:login"))
    assert client.post(urls[1])["Location"].startswith(reverse("accounts:login"))
    for other in (outsider, consul):
        login(client, other)
        assert client.get(urls[0]).status_code == 404
        assert client.post(urls[1]).status_code == 404
    assert not ReturnJourney.objects.filter(case__organisation=case_worker.membership
                                            .organisation).exists()
    # The sending side's package page is not the receiving side's.
    login(client, case_worker)
    assert client.get(reverse("interchange:exchange:package_send",
                              args=[referral.display_code])).status_code == 404
