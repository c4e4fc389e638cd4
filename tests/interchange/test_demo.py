"""`nrm demo` lets someone try the exchange: the Russian deployment registered as a partner with
demo-only keys, a package from its consulate already imported by Ak-Jol (accepted, her arrival
recorded, so a reply can be made), and a package for Umut waiting on file that Umut's case worker
can open; only this deployment's side stays in the database, and a second run adds nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.interchange import demo as exchange_demo
from nrm.interchange.exchange.models import (
    PartnerDeployment,
    ReceivedPackage,
    RemoteOrganisation,
    SentPackage,
)
from nrm.interchange.exchange.services import (
    has_something_to_report,
    package_import,
    package_preview,
)
from nrm.referrals.choices import ReferralOrigin, ReferralStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _waiting_file_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(exchange_demo, "WAITING_DIRECTORY", tmp_path)


def demo() -> str:
    out = io.StringIO()
    call_command("demo", persons=20, stdout=out)
    return out.getvalue()


def viewer_of(username: str) -> Viewer:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username)
    return Viewer(user=membership.user, membership=membership)


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_demo_registers_the_partner_and_imports_its_consulates_package(tmp_path):
    output = demo()
    partner = PartnerDeployment.objects.get()
    assert (partner.deployment_id, partner.country, partner.is_active) == ("RU", "RU", True)
    assert "Demo only" in partner.contact
    received = ReceivedPackage.objects.select_related("referral", "organisation").get()
    referral = received.referral
    assert received.sender == partner and received.organisation.short_name == "Ak-Jol"
    assert referral is not None and referral.origin != ReferralOrigin.LOCAL
    assert referral.status == ReferralStatus.ACCEPTED and has_something_to_report(referral)
    assert referral.from_country == "RU" and referral.sender_name.startswith("Consulate")
    assert received.journey is not None and received.journey.status == "arrived"
    # The partner's side was rolled back: no record of this deployment as its partner, no
    # organisation marked as working elsewhere, no package sent from here.
    assert not RemoteOrganisation.objects.exists() and not SentPackage.objects.exists()
    assert "Exchange demo: partner deployment RU registered" in output
    assert "demo-only" in output and "caseworker.akjol" in output


def test_the_waiting_file_opens_for_umuts_case_worker_until_the_time_printed(tmp_path):
    output = demo()
    waiting = tmp_path / exchange_demo.WAITING_FILENAME
    assert str(waiting) in output and "caseworker.bishkek" in output
    preview = package_preview(viewer=viewer_of("caseworker.bishkek"),
                              document=waiting.read_bytes())
    header = preview.opened.header
    assert preview.opened.organisation.short_name == "Umut Bishkek"
    assert header.sender == "RU" and header.expires_at > timezone.now()
    assert header.expires_at.strftime("%Y-%m-%d %H:%M UTC") in output
    assert preview.journey is not None and preview.values["names"]["family_name"]


def test_a_second_run_adds_nothing_and_keeps_the_waiting_file(tmp_path):
    demo()
    waiting = tmp_path / exchange_demo.WAITING_FILENAME
    first, loaded = waiting.read_bytes(), rows()
    second = demo()
    assert rows() == loaded
    assert waiting.read_bytes() == first and "still waiting" in second


def test_a_missing_waiting_file_is_written_again_until_umut_imports_one(tmp_path):
    demo()
    waiting = tmp_path / exchange_demo.WAITING_FILENAME
    waiting.unlink()
    loaded = rows()
    demo()
    assert rows() == loaded and waiting.exists()
    package_import(viewer=viewer_of("caseworker.bishkek"), document=waiting.read_bytes())
    waiting.unlink()
    assert "has imported its package" in demo()
    assert not Path(waiting).exists()
