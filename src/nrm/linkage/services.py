"""Every write of linkage: starting a duplicate search, keeping the pairs it found, deciding that
a pair is the same person or different persons, undoing a decision, and the person clusters the
*same* decisions make. Each service checks permission and writes its audit entry in the same
transaction; nothing is left half-written when it raises.

No decision changes or deletes a registry record: *same* links two persons into one cluster
(counted once by the statistics), and undoing it recomputes the clusters from the *same*
decisions that remain.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.jobs import job_start
from nrm.core.models import AuditAction, Job, JobStatus
from nrm.linkage.models import (
    CandidatePair,
    ClusterMember,
    LinkageRun,
    PairDecision,
    SpreadsheetUpload,
    Verdict,
)
from nrm.linkage.selectors import (
    SPREADSHEET_CHECK,
    UPLOAD_KEPT,
    checks_against_registry,
    checks_spreadsheets,
    linkage_persons,
    pairs_for_viewer,
    previous_run,
    reviews_duplicates,
    run_scope,
    runs_for_viewer,
)
from nrm.linkage.spreadsheets import FIELDS, SpreadsheetError, read_table

# The functions the background worker calls for a duplicate search and a spreadsheet check.
DUPLICATE_SEARCH_RUNNER = "nrm.linkage.runs.duplicate_search"
SPREADSHEET_CHECK_RUNNER = "nrm.linkage.runs.spreadsheet_check"
# What a spreadsheet's columns may be mapped to: the record's id, and what the engine compares.
SPREADSHEET_FIELDS = ("id", *FIELDS)
NAME_FIELDS = ("given", "family", "name", "other")
# A search still unfinished after this long was abandoned (its worker stopped): it no longer
# keeps another search of the same persons from starting. A million persons take minutes.
RUN_ABANDONED_AFTER = dt.timedelta(hours=6)
# One lock for every change to pairs and clusters (PostgreSQL): decisions are rare and made by
# people, and two decisions that touch one cluster at once must not each recompute it from half
# the truth; a search keeping its pairs takes it too.
_CLUSTER_LOCK = 0x6E726D6C


class ComparedField(Protocol):
    """One field's part in a match, as the engine explains it."""

    @property
    def field(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def label(self) -> Any: ...  # a lazily translated text
    @property
    def match_weight(self) -> float: ...


class FoundPair(Protocol):
    """A pair of records the engine found likely to be one person (record ids: person codes)."""

    @property
    def left_id(self) -> str: ...
    @property
    def right_id(self) -> str: ...
    @property
    def match_probability(self) -> float: ...
    @property
    def match_weight(self) -> float: ...
    @property
    def comparisons(self) -> Sequence[ComparedField]: ...


def _require_reviewer(viewer: Viewer) -> None:
    if not reviews_duplicates(viewer):
        raise PermissionDenied(_("Only supervisors and national coordinators search for "
                                 "duplicates and decide on candidate pairs."))


# --- runs ------------------------------------------------------------------------------------

@transaction.atomic
def linkage_run_start(
    *, viewer: Viewer, incremental: bool = False, in_background: bool = True,
) -> LinkageRun:
    """Start a duplicate search over the persons the viewer reviews, in the background; an
    incremental one compares only the persons registered or changed since the previous
    finished search of the same persons. With ``in_background=False`` no job is started: the
    caller performs the search itself (`nrm demo`, which has no worker to wait for)."""
    scope = run_scope(viewer)
    if scope is None:
        raise PermissionDenied(_("Only supervisors and national coordinators search the "
                                 "registry for duplicates."))
    if runs_for_viewer(viewer=viewer).filter(
            finished_at__isnull=True, job__status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            job__created_at__gte=timezone.now() - RUN_ABANDONED_AFTER).exists():
        raise ValidationError(_("A duplicate search of these persons is already running. "
                                "Wait until it has finished, then start another."))
    previous = previous_run(viewer=viewer) if incremental else None
    if incremental and previous is None:
        raise ValidationError(_("No duplicate search of these persons has finished yet, so "
                                "there is nothing to compare new persons with. Run a full "
                                "search first."))
    run = LinkageRun.objects.create(
        started_by=viewer.user, organisation_id=viewer.organisation_id, scope=scope,
        country=viewer.country, incremental=incremental, previous=previous,
    )
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.LINKAGE_RUN, obj=run,
                 purpose=f"started: {scope} {viewer.country}"
                         f"{', incremental' if incremental else ''}")
    if not in_background:
        return run
    run.job = job_start(created_by=viewer.user, membership=viewer.membership, kind="linkage",
                        runner=DUPLICATE_SEARCH_RUNNER, params={"run": run.pk})
    run.save(update_fields=["job"])
    run.refresh_from_db()
    return run


def _msgid(label: Any) -> str:
    # Kept untranslated, and translated when shown, in the reader's language.
    with translation.override(None):
        return str(label)


def _explanation(pair: FoundPair) -> list[dict[str, Any]]:
    return [{"field": compared.field, "level": compared.level, "label": _msgid(compared.label),
             "match_weight": round(float(compared.match_weight), 3)}
            for compared in pair.comparisons]


@dataclass(frozen=True)
class StoredPairs:
    found: int
    new: int
    already_decided: int
    withdrawn: int


@transaction.atomic
def candidate_pairs_store(
    *, viewer: Viewer, run: LinkageRun, pairs: Iterable[FoundPair], persons_compared: int,
    records_read_at: dt.datetime, changed_codes: Collection[str] | None = None,
    threshold: float | None = None,
) -> StoredPairs:
    """Keep what a duplicate search found, for the persons the viewer reviews: a new pair is
    proposed, a pending one refreshed, a decided one left as decided (a pair decided *different*
    is never proposed again). A pending pair the search compared and no longer finds is
    withdrawn: all of them in a full search, those of ``changed_codes`` in an incremental one."""
    _require_reviewer(viewer)
    if run.started_by_id != viewer.user.pk or run.finished_at is not None:
        raise PermissionDenied(_("Only the search's own run may record what it found."))
    # A supervisor's and a coordinator's searches may find the same pair at once, and a
    # reviewer may decide a pair while a search withdraws it: one at a time.
    _serialise_cluster_changes()
    scope = linkage_persons(viewer=viewer)
    person_ids = dict(scope.values_list("code", "pk"))

    found: dict[tuple[int, int], FoundPair] = {}
    for pair in pairs:
        left, right = person_ids.get(pair.left_id), person_ids.get(pair.right_id)
        if left is None or right is None or left == right:
            continue  # not a person this search may compare: never stored
        key = (min(left, right), max(left, right))
        known = found.get(key)
        if known is None or pair.match_probability > known.match_probability:
            found[key] = pair

    existing = {(pair.left_id, pair.right_id): pair
                for pair in CandidatePair.objects.filter(left__in=scope, right__in=scope)}
    refreshed: list[CandidatePair] = []
    created: list[CandidatePair] = []
    already_decided = 0
    for key, pair in found.items():
        stored = existing.get(key)
        if stored is None:
            created.append(CandidatePair(
                left_id=key[0], right_id=key[1], match_probability=pair.match_probability,
                match_weight=pair.match_weight, comparisons=_explanation(pair),
                first_run=run, last_run=run))
        elif stored.verdict == Verdict.PENDING:
            stored.match_probability = pair.match_probability
            stored.match_weight = pair.match_weight
            stored.comparisons = _explanation(pair)
            stored.last_run = run
            stored.updated_at = timezone.now()
            refreshed.append(stored)
        else:
            already_decided += 1
    CandidatePair.objects.bulk_create(created, batch_size=1000)
    CandidatePair.objects.bulk_update(
        refreshed, ["match_probability", "match_weight", "comparisons", "last_run", "updated_at"],
        batch_size=1000)

    changed_ids = None if changed_codes is None else {
        person_ids[code] for code in changed_codes if code in person_ids}
    withdrawn = [stored.pk for key, stored in existing.items()
                 if stored.verdict == Verdict.PENDING and key not in found
                 and (changed_ids is None or key[0] in changed_ids or key[1] in changed_ids)]
    CandidatePair.objects.filter(pk__in=withdrawn, verdict=Verdict.PENDING).delete()

    run.records_read_at = records_read_at
    run.finished_at = timezone.now()
    run.threshold = threshold
    run.persons_compared = persons_compared
    run.new_persons = len(changed_ids) if changed_ids is not None else 0
    run.pairs_found = len(found)
    run.pairs_new = len(created)
    run.pairs_already_decided = already_decided
    run.save(update_fields=["records_read_at", "finished_at", "threshold", "persons_compared",
                            "new_persons", "pairs_found", "pairs_new", "pairs_already_decided"])
    return StoredPairs(found=len(found), new=len(created), already_decided=already_decided,
                       withdrawn=len(withdrawn))


# --- decisions -------------------------------------------------------------------------------

def _locked_pair(viewer: Viewer, pair: CandidatePair) -> CandidatePair:
    locked = CandidatePair.objects.select_for_update().filter(pk=pair.pk).first()
    if locked is None:
        raise ValidationError(_("This pair is no longer proposed: a duplicate search since "
                                "found its two persons less alike. Nothing was changed."))
    if not pairs_for_viewer(viewer=viewer).filter(pk=pair.pk).exists():
        raise PermissionDenied(_("You may not decide on this pair: both persons must be "
                                 "among those you review."))
    return CandidatePair.objects.select_related("left", "right").get(pk=locked.pk)


def _serialise_cluster_changes() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLUSTER_LOCK])
    # SQLite lets one transaction write at a time: changes are serialised already.


def _cluster_of(person_id: int) -> set[int]:
    membership = ClusterMember.objects.filter(person_id=person_id).first()
    if membership is None:
        return {person_id}
    return set(ClusterMember.objects.filter(cluster_id=membership.cluster_id)
               .values_list("person_id", flat=True))


def _check_may_join(pair: CandidatePair) -> None:
    left, right = _cluster_of(pair.left_id), _cluster_of(pair.right_id)
    if left == right:
        return
    conflicting = CandidatePair.objects.filter(verdict=Verdict.DIFFERENT).filter(
        Q(left_id__in=left, right_id__in=right) | Q(left_id__in=right, right_id__in=left))
    if conflicting.exists():
        raise ValidationError(_(
            "A person already linked to one of these two was decided to be a different person "
            "from one linked to the other. Deciding that these two are the same would make "
            "them one. Undo that decision first, or decide that these two are different."))


def _check_may_separate(pair: CandidatePair) -> None:
    if pair.right_id in _cluster_of(pair.left_id):
        raise ValidationError(_(
            "These two are already linked as the same person through other decisions. Undo "
            "one of those decisions first."))


def _audit_decision(viewer: Viewer, action: AuditAction, pair: CandidatePair,
                    verdict: str) -> None:
    for person in (pair.left, pair.right):
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id, action=action,
                     obj=pair, person_code=person.code, fields=["verdict"], purpose=verdict)


@transaction.atomic
def pair_decide(*, viewer: Viewer, pair: CandidatePair, verdict: str) -> PairDecision:
    """Decide that the pair's two persons are the same person (their clusters join) or different
    persons (the pair is not proposed again). Neither registry record changes."""
    _require_reviewer(viewer)
    if verdict not in (Verdict.SAME, Verdict.DIFFERENT):
        raise ValidationError({"verdict": _("Choose “same person” or “different persons”.")})
    _serialise_cluster_changes()  # before the pair's row lock, as a search keeping pairs does
    locked = _locked_pair(viewer, pair)
    if locked.verdict != Verdict.PENDING:
        raise ValidationError(_("This pair has already been decided: %(verdict)s. Undo that "
                                "decision first to change it.")
                              % {"verdict": Verdict(locked.verdict).label})
    if verdict == Verdict.SAME:
        _check_may_join(locked)
    else:
        _check_may_separate(locked)
    decision = PairDecision.objects.create(pair=locked, verdict=verdict, decided_by=viewer.user,
                                           organisation_id=viewer.organisation_id)
    locked.verdict = verdict
    locked.save(update_fields=["verdict", "updated_at"])
    if verdict == Verdict.SAME:
        _clusters_recompute({locked.left_id, locked.right_id})
    _audit_decision(viewer, AuditAction.PAIR_DECIDED, locked, verdict)
    pair.verdict = verdict
    return decision


@transaction.atomic
def pair_decision_undo(*, viewer: Viewer, pair: CandidatePair) -> PairDecision:
    """Undo the pair's decision: the pair is proposed again, and after a *same* decision the
    clusters are recomputed from the *same* decisions that remain. The decision is kept,
    marked undone."""
    _require_reviewer(viewer)
    _serialise_cluster_changes()  # before the pair's row lock, as a search keeping pairs does
    locked = _locked_pair(viewer, pair)
    decision = PairDecision.objects.filter(pair=locked, undone_at__isnull=True).order_by(
        "-decided_at", "-id").first()
    if locked.verdict == Verdict.PENDING or decision is None:
        raise ValidationError(_("This pair has not been decided, so there is nothing to undo."))
    decision.undone_at = timezone.now()
    decision.undone_by = viewer.user
    decision.save(update_fields=["undone_at", "undone_by"])
    was = locked.verdict
    locked.verdict = Verdict.PENDING
    locked.save(update_fields=["verdict", "updated_at"])
    if was == Verdict.SAME:
        _clusters_recompute({locked.left_id, locked.right_id})
    _audit_decision(viewer, AuditAction.PAIR_DECISION_UNDONE, locked, was)
    pair.verdict = Verdict.PENDING
    return decision


# --- spreadsheets ----------------------------------------------------------------------------

def _check_mapping(mapping: dict[str, str], columns: Sequence[str]) -> dict[str, str]:
    chosen = {field: column for field, column in mapping.items() if column}
    unknown = sorted(set(chosen) - set(SPREADSHEET_FIELDS))
    if unknown:
        raise ValidationError({"mapping": _("These are not fields a column can be mapped to: "
                                            "%(fields)s.") % {"fields": ", ".join(unknown)}})
    errors: dict[str, list[str]] = {}
    for field, column in chosen.items():
        if column not in columns:
            errors.setdefault(field, []).append(
                _("The file has no column “%(column)s”.") % {"column": column[:100]})
    if "id" not in chosen:
        errors.setdefault("id", []).append(
            _("Choose the column that identifies each row (a row number or your own id), so "
              "that the pairs found can be found again in your file."))
    if not any(field in chosen for field in NAME_FIELDS):
        errors.setdefault("given", []).append(
            _("Choose at least one column with a name."))
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def spreadsheet_upload(*, viewer: Viewer, filename: str, content: bytes) -> SpreadsheetUpload:
    """Keep an uploaded CSV or XLSX list, encrypted, while its columns are mapped; a file that
    cannot be read as a list is refused with what to fix, and nothing is kept."""
    if not checks_spreadsheets(viewer):
        raise PermissionDenied(_("Your role does not check spreadsheets for duplicates."))
    limit = settings.NRM_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ValidationError({"file": _(
            "The file is %(size)s; a list checked from the page may be at most %(limit)s. "
            "Split it, or ask your administrator to check it with nrm link.")
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(limit)}})
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "spreadsheet.csv"
    try:
        header, rows = read_table(content, name)
    except SpreadsheetError as error:
        raise ValidationError({"file": str(error)}) from None
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            raise ValidationError({"file": _(
                "The column name “%(column)s” appears twice in the first row; give each column "
                "its own name.") % {"column": column[:100]}})
        seen.add(column)
    columns = [column for column in header if column]
    # Uploads never mapped are dropped a day later, whoever made them.
    SpreadsheetUpload.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_KEPT).delete()
    upload = SpreadsheetUpload.objects.create(
        uploaded_by=viewer.user, membership=viewer.membership, filename=name,
        content=base64.b64encode(content).decode(), columns=columns, rows=len(rows))
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.SPREADSHEET_CHECKED, obj=upload,
                 purpose=f"uploaded: {len(rows)} rows, {len(columns)} columns")
    return upload


@transaction.atomic
def spreadsheet_check_start(
    *, viewer: Viewer, upload: SpreadsheetUpload, mapping: dict[str, str],
    against_registry: bool = False,
) -> Job:
    """Check an uploaded spreadsheet for duplicates in the background: its rows against each
    other and, if asked, against the registry persons whose identity the viewer sees. The
    upload is deleted; the file travels encrypted with the job, which drops it when done."""
    if not checks_spreadsheets(viewer):
        raise PermissionDenied(_("Your role does not check spreadsheets for duplicates."))
    if upload.uploaded_by_id != viewer.user.pk or upload.membership_id != viewer.membership.pk:
        raise PermissionDenied(_("Only whoever uploaded a spreadsheet may check it."))
    if against_registry and not checks_against_registry(viewer):
        raise PermissionDenied(_("A spreadsheet can be checked against the registry only by "
                                 "those who see the identity of their organisation's persons."))
    chosen = _check_mapping(mapping, upload.columns or [])
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.SPREADSHEET_CHECKED, fields=sorted(chosen),
                 purpose=f"started: {upload.rows} rows"
                         f"{', against the registry' if against_registry else ''}")
    content = base64.b64decode(upload.content)
    params = {"mapping": chosen, "against_registry": against_registry,
              "filename": upload.filename, "rows": upload.rows}
    upload.delete()
    return job_start(created_by=viewer.user, membership=viewer.membership,
                     kind=SPREADSHEET_CHECK, runner=SPREADSHEET_CHECK_RUNNER, params=params,
                     input_bytes=content)


# --- clusters --------------------------------------------------------------------------------

def _components(person_ids: Iterable[int], links: Iterable[tuple[int, int]]) -> list[set[int]]:
    """Connected components: persons linked directly or through others are one."""
    parent = {person_id: person_id for person_id in person_ids}

    def root(person_id: int) -> int:
        while parent[person_id] != person_id:
            parent[person_id] = parent[parent[person_id]]
            person_id = parent[person_id]
        return person_id

    for left, right in links:
        parent.setdefault(left, left)
        parent.setdefault(right, right)
        parent[root(left)] = root(right)
    groups: dict[int, set[int]] = {}
    for person_id in parent:
        groups.setdefault(root(person_id), set()).add(person_id)
    return list(groups.values())


def _clusters_recompute(person_ids: set[int]) -> None:
    """Recompute the clusters that hold ``person_ids`` from the *same* decisions among their
    members (a cluster's members reach no one outside it through a *same* decision)."""
    members = set(person_ids)
    while True:
        clusters = ClusterMember.objects.filter(person_id__in=members).values("cluster_id")
        widened = members | set(ClusterMember.objects.filter(cluster_id__in=clusters)
                                .values_list("person_id", flat=True))
        links = list(CandidatePair.objects.filter(verdict=Verdict.SAME).filter(
            Q(left_id__in=widened) | Q(right_id__in=widened)).values_list("left_id", "right_id"))
        widened |= {person_id for link in links for person_id in link}
        if widened == members:
            break
        members = widened
    ClusterMember.objects.filter(person_id__in=members).delete()
    ClusterMember.objects.bulk_create([
        ClusterMember(person_id=person_id, cluster_id=min(component))
        for component in _components(members, links) if len(component) > 1
        for person_id in component
    ])
