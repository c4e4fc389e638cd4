"""Every read of linkage. Who reviews duplicates, over which persons, follows the registry's rules
(DESIGN, "Confidentiality is the design"):

- a national coordinator searches and reviews their country's persons, by pseudonymous code and
  the explanation of the match, never seeing an identity (the registry shows them none);
- an organisation's supervisor searches and reviews their own organisation's persons, and sees
  both identities side by side (the registry shows them their organisation's);
- nobody else reviews: a case worker registers and works cases, an analyst sees aggregates only,
  and a pair that reaches into another organisation would tell a supervisor of a person they
  may not know of.

Reading identities to compare them is a personal-data read like any other: `records_for_linkage`
decrypts only the fields the engine compares, only for the persons the viewer may compare, and
records the read. Showing a pair is audited for each of its two persons.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.dates import DatePrecision
from nrm.core.jobs import ProgressReport, job_for_user, no_progress
from nrm.core.models import AuditAction, Job, JobStatus
from nrm.linkage.models import (
    CandidatePair,
    ClusterMember,
    LinkageRun,
    PairDecision,
    RunScope,
    SpreadsheetUpload,
    Verdict,
)
from nrm.linkage.records import PersonRecord, parse_birth_date
from nrm.registry.models import Identity, Person
from nrm.registry.selectors import identity_for_viewer, persons_for_viewer

# The roles that search for duplicates and decide on candidate pairs.
REVIEWING_ROLES = frozenset({Role.SUPERVISOR, Role.NATIONAL_COORDINATOR})
# The identity fields the engine compares; nothing else is decrypted for it.
COMPARED_FIELDS = ("given_name", "patronymic", "family_name", "latin_name", "aliases",
                   "birth_date")
_READ_CHUNK = 2000
READING_STEP = gettext_noop("Reading the persons to compare")
# How long an uploaded spreadsheet waits for its columns to be mapped.
UPLOAD_KEPT = dt.timedelta(days=1)
# The kind of background job a spreadsheet check is, and what it offers for download: the
# columns of each file, as `nrm link` writes them.
SPREADSHEET_CHECK = "spreadsheet_check"
SPREADSHEET_DOWNLOADS: dict[str, tuple[str, ...]] = {
    "pairs": ("id_l", "id_r", "match_probability"),
    "clusters": ("id", "cluster"),
}


class LinkageUse(enum.Enum):
    """Why identities are read for comparison, which decides whose."""

    DUPLICATE_SEARCH = "duplicate search"  # the persons the viewer reviews
    SPREADSHEET_CHECK = "spreadsheet check"  # the persons whose identity the viewer sees


def reviews_duplicates(viewer: Viewer) -> bool:
    """Whether the viewer searches for duplicates and decides on candidate pairs."""
    return viewer.role in REVIEWING_ROLES


def run_scope(viewer: Viewer) -> RunScope | None:
    """Over which persons the viewer's duplicate searches run (None: they run none)."""
    if viewer.role == Role.NATIONAL_COORDINATOR:
        return RunScope.COUNTRY
    if viewer.role == Role.SUPERVISOR:
        return RunScope.ORGANISATION
    return None


def checks_spreadsheets(viewer: Viewer) -> bool:
    """Whether the viewer may check a spreadsheet for duplicates from the page."""
    return viewer.sees_identity or viewer.sees_national_cases


def checks_against_registry(viewer: Viewer) -> bool:
    """Whether a spreadsheet may be matched against registry persons for the viewer: only
    against persons whose identity they see. A name in a file matched to a pseudonymous code
    would tell a coordinator who that code is."""
    return viewer.sees_identity


def linkage_persons(*, viewer: Viewer) -> QuerySet[Person]:
    """The persons the viewer may compare and review: the registry's persons for the viewer,
    for the roles that review; none for any other role."""
    if not reviews_duplicates(viewer):
        return Person.objects.none()
    return persons_for_viewer(viewer=viewer)


def _persons_for_use(viewer: Viewer, use: LinkageUse) -> QuerySet[Person]:
    if use is LinkageUse.DUPLICATE_SEARCH:
        if not reviews_duplicates(viewer):
            raise PermissionDenied(_("Only supervisors and national coordinators search the "
                                     "registry for duplicates."))
        return linkage_persons(viewer=viewer)
    if not checks_against_registry(viewer):
        raise PermissionDenied(_("A spreadsheet can be checked against the registry only by "
                                 "those who see the identity of their organisation's persons."))
    return Person.objects.filter(organisation_id=viewer.organisation_id)


def _birth_date(identity: Identity) -> str:
    value, precision = identity.birth_date, identity.birth_date_precision
    if not value:
        return ""
    if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        value = value[:4]
    elif precision == DatePrecision.MONTH:
        value = value[:7]
    else:
        value = value[:10]
    try:
        parse_birth_date(value)
    except ValueError:
        return ""  # a date the engine cannot read is compared as not known, not a failure
    return value


def person_record(identity: Identity) -> PersonRecord:
    """One registry identity as the record the engine compares, named by the person's code."""
    person = identity.person
    other_names = [identity.latin_name, *(identity.aliases or [])]
    return PersonRecord(
        record_id=person.code,
        given_name=identity.given_name, patronymic=identity.patronymic,
        family_name=identity.family_name,
        other_names=tuple(name for name in other_names if name),
        birth_date=_birth_date(identity),
        sex=person.sex,
        citizenship=(person.citizenships or [""])[0],
        source=str(person.organisation_id),
    )


def records_for_linkage(
    *, viewer: Viewer, use: LinkageUse = LinkageUse.DUPLICATE_SEARCH,
    obj: models.Model | None = None, purpose: str = "",
    progress: ProgressReport = no_progress,
) -> list[PersonRecord]:
    """The identities the viewer may compare for ``use``, decrypted as records: for a duplicate
    search the persons they review, for a spreadsheet check those whose identity they see. Only
    the compared fields are decrypted; the read is audited once, with its count, against ``obj``
    (the run or the job)."""
    persons = _persons_for_use(viewer, use)
    identities = (
        Identity.objects.filter(person__in=persons)
        .select_related("person")
        .only("person__code", "person__sex", "person__citizenships", "person__organisation_id",
              *COMPARED_FIELDS, "birth_date_precision")
        .order_by("person_id")
    )
    total = identities.count()
    records: list[PersonRecord] = []
    for identity in identities.iterator(chunk_size=_READ_CHUNK):
        records.append(person_record(identity))
        if len(records) % _READ_CHUNK == 0:
            progress(len(records), total, READING_STEP)
    progress(len(records), total, READING_STEP)
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=(AuditAction.LINKAGE_RUN if use is LinkageUse.DUPLICATE_SEARCH
                else AuditAction.SPREADSHEET_CHECKED),
        obj=obj, fields=COMPARED_FIELDS,
        purpose=f"{use.value}: {len(records)} identities read for comparison"
                + (f" ({purpose})" if purpose else ""),
    )
    return records


def codes_changed_since(*, viewer: Viewer, since: dt.datetime) -> set[str]:
    """The codes of the persons the viewer reviews who were registered, or whose identity
    changed, at or after ``since``: what an incremental search compares."""
    persons = linkage_persons(viewer=viewer).filter(
        Q(created_at__gte=since) | Q(identity__updated_at__gte=since))
    return set(persons.values_list("code", flat=True))


# --- runs ------------------------------------------------------------------------------------

def _same_scope(scope: RunScope, viewer: Viewer) -> Q:
    if scope == RunScope.COUNTRY:
        return Q(scope=RunScope.COUNTRY, country=viewer.country)
    return Q(scope=RunScope.ORGANISATION, organisation_id=viewer.organisation_id)


def runs_for_viewer(*, viewer: Viewer) -> QuerySet[LinkageRun]:
    """The duplicate searches of the viewer's scope (their country's or their organisation's),
    newest first."""
    scope = run_scope(viewer)
    if scope is None:
        return LinkageRun.objects.none()
    return (LinkageRun.objects.filter(_same_scope(scope, viewer))
            .select_related("started_by", "organisation", "job").order_by("-started_at", "-id"))


def run_for_viewer(*, viewer: Viewer, run_id: int) -> LinkageRun:
    """One duplicate search of the viewer's scope, or 404."""
    run = runs_for_viewer(viewer=viewer).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def previous_run(*, viewer: Viewer) -> LinkageRun | None:
    """The latest finished duplicate search of the viewer's scope: where an incremental search
    starts from."""
    return runs_for_viewer(viewer=viewer).filter(finished_at__isnull=False).order_by(
        "-records_read_at", "-id").first()


# --- candidate pairs -------------------------------------------------------------------------

def pairs_for_viewer(
    *, viewer: Viewer, verdict: str | None = None, min_probability: float | None = None,
    organisation_id: int | None = None, across_organisations: bool = False,
    person: Person | None = None,
) -> QuerySet[CandidatePair]:
    """Candidate pairs whose two persons the viewer reviews, most likely first; filtered by
    decision, lowest probability, an organisation either person belongs to, pairs between two
    organisations only, or one person."""
    persons = linkage_persons(viewer=viewer)
    pairs = CandidatePair.objects.filter(left__in=persons, right__in=persons)
    if verdict:
        pairs = pairs.filter(verdict=verdict)
    if min_probability is not None:
        pairs = pairs.filter(match_probability__gte=min_probability)
    if organisation_id is not None:
        pairs = pairs.filter(Q(left__organisation_id=organisation_id)
                             | Q(right__organisation_id=organisation_id))
    if across_organisations:
        pairs = pairs.exclude(left__organisation_id=models.F("right__organisation_id"))
    if person is not None:
        pairs = pairs.filter(Q(left=person) | Q(right=person))
    return pairs.select_related("left__organisation", "right__organisation").order_by(
        "-match_probability", "-id")


def _audit_pair_read(viewer: Viewer, pair: CandidatePair, purpose: str) -> None:
    # Once for each person, so that each one's access log shows who looked at the pair.
    for person in (pair.left, pair.right):
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.CANDIDATE_PAIR_READ, obj=pair, person_code=person.code,
                     purpose=purpose)


def pair_for_viewer(*, viewer: Viewer, pair_id: int, purpose: str = "") -> CandidatePair:
    """One candidate pair whose two persons the viewer reviews, or 404. Audited for both."""
    pair = pairs_for_viewer(viewer=viewer).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    _audit_pair_read(viewer, pair, purpose)
    return pair


def pair_identities(
    *, viewer: Viewer, pair: CandidatePair, purpose: str = "",
) -> tuple[Identity, Identity] | None:
    """Both identities of the pair, side by side, if the viewer may see both; otherwise none,
    so that one record is never shown against a record the viewer may not see. Each identity
    read is audited by the registry."""
    if not all(viewer.sees_identity and person.organisation_id == viewer.organisation_id
               for person in (pair.left, pair.right)):
        return None
    left = identity_for_viewer(viewer=viewer, person=pair.left, purpose=purpose)
    right = identity_for_viewer(viewer=viewer, person=pair.right, purpose=purpose)
    if left is None or right is None:
        return None
    return left, right


def decisions_for_pair(*, viewer: Viewer, pair: CandidatePair) -> QuerySet[PairDecision]:
    """The pair's decisions, undone ones included, newest first; for its reviewers only."""
    if not pairs_for_viewer(viewer=viewer).filter(pk=pair.pk).exists():
        raise Http404
    return PairDecision.objects.filter(pair=pair).select_related(
        "decided_by", "undone_by", "organisation").order_by("-decided_at", "-id")


def pending_count(*, viewer: Viewer) -> int:
    """How many candidate pairs await the viewer's review."""
    return pairs_for_viewer(viewer=viewer, verdict=Verdict.PENDING).count()


# --- clusters --------------------------------------------------------------------------------

def cluster_for_viewer(*, viewer: Viewer, person: Person) -> list[Person]:
    """The other persons decided to be the same as ``person`` that the viewer reviews (members
    the viewer may not know of are left out, not counted), first registered first."""
    membership = ClusterMember.objects.filter(person=person).first()
    if membership is None:
        return []
    return list(
        linkage_persons(viewer=viewer)
        .filter(cluster_membership__cluster_id=membership.cluster_id)
        .exclude(pk=person.pk).select_related("organisation").order_by("pk")
    )


def cluster_keys(person_ids: Iterable[int]) -> dict[int, int]:
    """Each person id → the id its cluster is known by (its own when it is in none), so that
    counts of persons count a cluster once. An aggregate helper: it reads no personal data."""
    ids = set(person_ids)
    if not ids:
        return {}
    # Only persons decided to be the same as another have a row: few, read at once.
    clustered = dict(ClusterMember.objects.values_list("person_id", "cluster_id"))
    return {person_id: clustered.get(person_id, person_id) for person_id in ids}


def cluster_records(keys: Iterable[int]) -> dict[int, int]:
    """Every person id of the clusters known by ``keys`` (a key in no cluster: itself alone)
    → its cluster's key: all the records of each person counted."""
    wanted = set(keys)
    records = {key: key for key in wanted}
    records.update((person_id, cluster_id) for person_id, cluster_id
                   in ClusterMember.objects.values_list("person_id", "cluster_id")
                   if cluster_id in wanted)
    return records


# --- spreadsheets ----------------------------------------------------------------------------

def upload_for_viewer(*, viewer: Viewer, upload_id: int) -> SpreadsheetUpload:
    """A spreadsheet the viewer uploaded, under the membership they act in now, that still waits
    for its columns to be mapped; 404 for anyone else's or an expired one."""
    upload = SpreadsheetUpload.objects.filter(
        pk=upload_id, uploaded_by=viewer.user, membership=viewer.membership,
        uploaded_at__gte=timezone.now() - UPLOAD_KEPT).first()
    if upload is None:
        raise Http404
    return upload


def spreadsheet_checks_for_viewer(*, viewer: Viewer) -> QuerySet[Job]:
    """The spreadsheet checks the viewer started, under the membership they act in now,
    newest first (their results are theirs alone)."""
    return Job.objects.filter(created_by=viewer.user, membership=viewer.membership,
                              kind=SPREADSHEET_CHECK).order_by("-created_at", "-id")


def spreadsheet_check_for_viewer(*, viewer: Viewer, job_id: int) -> Job:
    """A finished spreadsheet check the viewer started, with its result; 404 for anyone else's,
    for another kind of job, and for one still running or failed (its progress page says so)."""
    job = job_for_user(user=viewer.user, job_id=job_id)
    if job is None or job.kind != SPREADSHEET_CHECK or job.status != JobStatus.DONE:
        raise Http404
    return job


def spreadsheet_check_rows(job: Job, what: str) -> list[list[Any]]:
    """The rows of a spreadsheet check's result: its ``pairs`` or its ``clusters``."""
    rows = (job.result or {}).get(what) or []
    return [list(row) for row in rows if isinstance(row, list | tuple)]


def spreadsheet_check_download(
    *, viewer: Viewer, job_id: int, what: str,
) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The header and rows of what a spreadsheet check found (``pairs`` or ``clusters``), for
    the user who started it; 404 otherwise. Audited as an export."""
    if what not in SPREADSHEET_DOWNLOADS:
        raise Http404
    job = spreadsheet_check_for_viewer(viewer=viewer, job_id=job_id)
    rows = spreadsheet_check_rows(job, what)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.EXPORT, obj=job, fields=[what],
                 purpose=f"spreadsheet check: {len(rows)} {what}")
    return SPREADSHEET_DOWNLOADS[what], rows
