"""`nrm demo`'s referrals, services and follow-up contacts in the referral and assistance
figures: the analyst's page reads them by every breakdown."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.statistics.assistance_figures import BREAKDOWNS, assistance_figures

pytestmark = pytest.mark.django_db


def test_the_demo_shows_in_the_figures_by_every_breakdown(client):
    call_command("demo", persons=300, stdout=io.StringIO())  # enough for its referrals
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="analyst.kg")
    analyst = Viewer(user=membership.user, membership=membership)

    figures = assistance_figures(viewer=analyst, country=None, since=None, until=None,
                                 threshold=1)
    assert figures.referrals.total
    assert figures.persons_assisted.total
    assert figures.costs
    client.force_login(membership.user)
    for breakdown in BREAKDOWNS:
        response = client.get(reverse("statistics:assistance"), {"by": breakdown})
        assert response.status_code == 200, breakdown
