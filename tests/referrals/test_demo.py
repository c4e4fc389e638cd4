"""`nrm demo` gives the referral screens something to show: shelters with whom they take in and
their free places, agreements (one across the border, one ended) and Umut's referrals in every
status, sent through the services; a second run adds nothing. One test: the demo takes a while."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Agreement, Organisation
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral

pytestmark = pytest.mark.django_db


def demo() -> str:
    # Enough persons for Umut to have eight adult women with open cases.
    out = io.StringIO()
    call_command("demo", persons=300, stdout=out)
    return out.getvalue()


def test_the_demo_has_referrals_in_every_status_and_a_second_run_adds_nothing():
    output = demo()
    loaded = (Referral.objects.count(), Agreement.objects.count())
    demo()
    assert (Referral.objects.count(), Agreement.objects.count()) == loaded
    assert "Referrals demo: 3 agreements" in output
    assert "caseworker.akjol" in output  # its logins join the table
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    now = timezone.now()
    waiting = Referral.objects.filter(status=ReferralStatus.SENT)
    assert waiting.filter(due_at__lt=now).exists(), "no overdue referral to show"
    assert waiting.filter(consent_overridden=True).exists()
    assert AuditEntry.objects.filter(action=AuditAction.CONSENT_OVERRIDDEN).exists()

    # A shelter with capacity, and agreements: one across the border, one ended.
    ak_jol = Organisation.objects.get(name="Ak-Jol Shelter for Women and Children")
    assert ak_jol.free_places and ak_jol.places and ak_jol.capacity_updated_at
    assert ak_jol.sexes_accepted == ["Feminine"] and ak_jol.accompanied_children
    today = timezone.localdate()
    in_force = Agreement.objects.in_force(today)
    assert any(len({party.country for party in agreement.parties.all()}) == 2
               for agreement in in_force)
    assert Agreement.objects.exclude(pk__in=in_force).exists()  # one has ended
    assert Referral.objects.filter(from_country="KG", to_country="KZ").count() == 2
