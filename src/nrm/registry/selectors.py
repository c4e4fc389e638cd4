"""Every read of the registry. Each selector takes the viewer and returns only what the viewer
may see; reads of identity, of a case and searches leave an audit entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import normalise_code
from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.models import Case, Consent, Identity, NameToken, Person
from nrm.registry.services import IDENTITY_FIELDS, name_query_digests

SEARCH_LIMIT = 50
_YEAR = re.compile(r"^(19|20)\d\d$")


def persons_for_viewer(*, viewer: Viewer) -> QuerySet[Person]:
    """The persons the viewer may know of at all (by code only, unless identity is allowed)."""
    if viewer.works_cases:
        return Person.objects.filter(organisation_id=viewer.organisation_id)
    if viewer.sees_national_cases:
        return Person.objects.filter(cases__organisation__country=viewer.country).distinct()
    return Person.objects.none()


def cases_for_viewer(
    *, viewer: Viewer, mine: bool = False, status: str | None = None
) -> QuerySet[Case]:
    """Cases the viewer may see: their organisation's, or their country's for a coordinator."""
    if viewer.works_cases:
        cases = Case.objects.filter(organisation_id=viewer.organisation_id)
    elif viewer.sees_national_cases:
        cases = Case.objects.filter(organisation__country=viewer.country)
    else:
        return Case.objects.none()
    if mine:
        cases = cases.filter(case_worker=viewer.user)
    if status:
        cases = cases.filter(status=status)
    # Prefetched, not joined: PostgreSQL joins every row that a later page's OFFSET skips
    # (page 200 of 120,000 cases: 100 ms joined, 15 ms prefetched; see bench/run.py).
    return cases.prefetch_related("person", "organisation", "case_worker").order_by(
        "-opened_on", "-id"
    )


def case_for_viewer(*, viewer: Viewer, code: str, purpose: str = "") -> Case:
    """One case by its code, or 404 if the viewer may not see it. Audited."""
    normalised = normalise_code(code)
    if normalised is None:
        raise Http404
    case = (
        cases_for_viewer(viewer=viewer)
        .prefetch_related("events", Prefetch("person__consents",
                                             queryset=Consent.objects.select_related("recipient")))
        .filter(code=normalised)
        .first()
    )
    if case is None:
        raise Http404
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.CASE_READ,
        obj=case, person_code=case.person.code, purpose=purpose,
    )
    return case


def person_for_viewer(*, viewer: Viewer, code: str) -> Person:
    """One person by code, or 404 if the viewer may not know of them."""
    normalised = normalise_code(code)
    person = (
        persons_for_viewer(viewer=viewer).filter(code=normalised).first() if normalised else None
    )
    if person is None:
        raise Http404
    return person


def consent_for_viewer(*, viewer: Viewer, consent_id: int) -> Consent:
    """One consent of a person the viewer may know of, or 404."""
    consent = (
        Consent.objects.select_related("person", "recipient", "recorded_by")
        .filter(pk=consent_id, person__in=persons_for_viewer(viewer=viewer))
        .first()
    )
    if consent is None:
        raise Http404
    return consent


def identity_for_viewer(*, viewer: Viewer, person: Person, purpose: str = "") -> Identity | None:
    """The person's identity if the viewer may see it (None otherwise). Every call is audited."""
    if not viewer.sees_identity or person.organisation_id != viewer.organisation_id:
        return None
    identity = Identity.objects.filter(person=person).first()
    if identity is not None:
        audit_record(
            actor=viewer.user, organisation_id=viewer.organisation_id,
            action=AuditAction.IDENTITY_READ, obj=person, person_code=person.code,
            fields=IDENTITY_FIELDS, purpose=purpose,
        )
    return identity


@dataclass(frozen=True)
class SearchQuery:
    name: str
    code: str | None
    birth_year: int | None

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        """Split "Мамытова 1995" or "K7QM-4TXR-9" into name words, a birth year and a code."""
        whole = normalise_code(text)
        if whole:
            return cls(name="", code=whole, birth_year=None)
        names: list[str] = []
        code: str | None = None
        year: int | None = None
        for word in text.split():
            if _YEAR.match(word):
                year = int(word)
            elif (as_code := normalise_code(word)) is not None:
                code = as_code
            else:
                names.append(word)
        return cls(name=" ".join(names), code=code, birth_year=year)


def persons_search(*, viewer: Viewer, text: str) -> list[Person]:
    """Persons matching a name in any script, a pseudonymous code or a birth year.

    Names are matched through the blind index: every name part of the query must match a part of
    the person's names. Searching by name is for those who may see identity; a coordinator may
    search by code. The search itself is audited (its text is not kept: it may be a name).
    """
    query = SearchQuery.parse(text[:200])
    persons = persons_for_viewer(viewer=viewer)
    if not (query.name or query.code or query.birth_year):
        return []
    if query.code:
        persons = persons.filter(code=query.code)
    if query.birth_year:
        persons = persons.filter(birth_year=query.birth_year)
    if query.name:
        digests = name_query_digests(query.name)
        if not viewer.sees_identity or not digests:
            return []
        matching = (
            NameToken.objects.filter(organisation_id=viewer.organisation_id, digest__in=digests)
            .values("person_id")
            .annotate(hits=Count("digest", distinct=True))
            .filter(hits=len(digests))
            .values("person_id")
        )
        persons = persons.filter(pk__in=matching)
    results = list(
        persons.prefetch_related(
            Prefetch("cases", queryset=Case.objects.select_related("organisation", "case_worker")
                     .order_by("-opened_on"))
        ).order_by("-created_at")[:SEARCH_LIMIT]
    )
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.SEARCH,
        fields=[f for f, used in (("name", query.name), ("code", query.code),
                                  ("birth_year", query.birth_year)) if used],
        purpose=f"{len(results)} result(s)",
    )
    return results


def access_log_for_case(*, viewer: Viewer, case: Case) -> QuerySet[AuditEntry]:
    """Who read or changed this case's person; only for those who may see the case."""
    if not cases_for_viewer(viewer=viewer).filter(pk=case.pk).exists():
        raise Http404
    return AuditEntry.objects.filter(person_code=case.person.code).select_related(
        "actor", "organisation"
    )


def audit_entries_for_viewer(
    *, viewer: Viewer, action: int | None = None, actor_id: int | None = None,
    person_code: str = "", since: str = "", until: str = "",
) -> QuerySet[AuditEntry]:
    """The audit log an organisation admin (or supervisor, coordinator) may filter."""
    if not viewer.reads_audit:
        return AuditEntry.objects.none()
    if viewer.sees_national_cases:
        scope = Q(organisation__country=viewer.country)
    else:
        own_persons = Person.objects.filter(organisation_id=viewer.organisation_id).values("code")
        scope = Q(organisation_id=viewer.organisation_id) | Q(person_code__in=own_persons)
    entries = AuditEntry.objects.filter(scope)
    if action:
        entries = entries.filter(action=action)
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if person_code:
        entries = entries.filter(person_code=normalise_code(person_code) or person_code)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.select_related("actor", "organisation")
