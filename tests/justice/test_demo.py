"""`nrm demo` records four criminal cases through the justice services, with a Kazakh-Kyrgyz
linked chain, convictions and a compensation award; the analyst's one-count report shows them
beside the persons identified, and a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.justice.choices import OffenderOutcome
from nrm.justice.models import CaseLink, Compensation, CriminalCase, Offender, Participant
from nrm.registry.models import Consent
from nrm.statistics.one_count import one_count

pytestmark = pytest.mark.django_db


def demo(persons: int = 150) -> None:
    call_command("demo", persons=persons, stdout=io.StringIO())


def counts() -> tuple[int, ...]:
    return (CriminalCase.objects.count(), Participant.objects.count(),
            Offender.objects.count(), Compensation.objects.count(), CaseLink.objects.count(),
            Consent.objects.count())


def test_the_one_count_shows_persons_identified_and_criminal_cases_once():
    demo()
    loaded = counts()
    demo()

    assert counts() == loaded
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="analyst.kg")
    report = one_count(viewer=Viewer(user=membership.user, membership=membership),
                       country=None, since=None, until=None)
    assert report.identified_persons.total
    assert CriminalCase.objects.count() == 4
    assert report.offenders.total is None or report.offenders.total > 0


def test_the_chain_links_a_kazakh_and_a_kyrgyz_case_with_convictions_and_an_award():
    demo()
    link = CaseLink.objects.select_related("from_case", "to_case").get()
    assert {link.from_case.country, link.to_case.country} == {"KG", "KZ"}
    for criminal_case in (link.from_case, link.to_case):
        assert criminal_case.participants.exists()
        assert criminal_case.offenders.filter(outcome=OffenderOutcome.CONVICTED).exists()
    award = Compensation.objects.get()
    assert award.awarded and award.awarded_on
    # Every victim linked from another organisation had consented to law enforcement first.
    for participant in Participant.objects.select_related("case"):
        assert Consent.objects.filter(person_id=participant.case.person_id,
                                      purpose="law_enforcement", given=True).exists()


def test_the_logins_table_lists_the_later_apps_logins_too(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", persons=20, stdout=out)
    table = out.getvalue()
    for username in ("caseworker.bishkek", "decision.kz", "investigator.almaty",
                     "prosecutor.almaty"):
        assert username in table
