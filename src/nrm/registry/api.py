"""The registry over the API: persons, cases, events, consents, search and the audit log.

Each endpoint parses its schema, calls one selector or service with the token's viewer, and
returns an explicit schema. Permission is decided by the selectors and services, exactly as for
the pages; an object the viewer may not see is 404, an action their role may not take is 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.registry import selectors, services
from nrm.registry.schemas import (
    MAX_ID,
    PLAIN_TEXT,
    REFUSALS,
    WRITE_REFUSALS,
    AccessLogPageOut,
    AuditFilters,
    AuditPageOut,
    CaseChangesIn,
    CaseCloseIn,
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePageOut,
    ConsentIn,
    ConsentOut,
    EventIn,
    EventOut,
    IdentityIn,
    IdentityOut,
    PageIn,
    PersonFoundOut,
    PersonRegisterIn,
    SearchIn,
    audit_entry_full_out,
    audit_entry_out,
    case_out,
    case_summary_out,
    consent_out,
    event_out,
    identity_out,
    page_of,
    person_found_out,
)

router = Router()

# Every operation may be refused in these ways; documenting them lets clients (and schemathesis)
# check error bodies too.

CODE = Path(..., max_length=40, description="Pseudonymous code, with or without hyphens")
PERSON_CODE = Path(..., max_length=40, description="The person's pseudonymous code")
IDEMPOTENCY_KEY = Header(
    None, alias="Idempotency-Key", max_length=40, pattern=PLAIN_TEXT,
    description="Send the same key again and nothing is registered twice (409 instead).",
)


# --- cases -----------------------------------------------------------------------------------

@router.get("/cases", response={200: CasePageOut, **REFUSALS}, tags=["cases"],
            summary="Cases the caller may see: their organisation's, or their country's")
def cases(request: HttpRequest, filters: Query[CaseFilters]) -> CasePageOut:
    found = selectors.cases_for_viewer(viewer=viewer_of(request), mine=filters.mine,
                                       status=filters.status)
    rows, count = page_of(found, filters)
    return CasePageOut(items=[case_summary_out(row) for row in rows], count=count)


@router.get("/cases/{code}", response={200: CaseOut, **REFUSALS}, tags=["cases"],
            summary="One case; identity only for those who may see it")
def case(request: HttpRequest, code: str = CODE) -> CaseOut:
    viewer = viewer_of(request)
    found = selectors.case_for_viewer(viewer=viewer, code=code, purpose="API")
    identity = selectors.identity_for_viewer(viewer=viewer, person=found.person, purpose="API")
    return case_out(found, identity=identity)


@router.patch("/cases/{code}", response={200: CaseOut, **WRITE_REFUSALS}, tags=["cases"],
              summary="Change a case; fields not sent keep their value")
def case_change(request: HttpRequest, payload: CaseChangesIn, code: str = CODE) -> CaseOut:
    viewer = viewer_of(request)
    found = selectors.case_for_viewer(viewer=viewer, code=code, purpose="API change")
    changed = services.case_update(viewer=viewer, case=found, changes=payload.applied_to(found))
    return case_out(changed, identity=None, notes=True)


@router.post("/cases/{code}/close", response={200: CaseOut, **WRITE_REFUSALS}, tags=["cases"],
             summary="Close a case with a date and a reason")
def case_close(request: HttpRequest, payload: CaseCloseIn, code: str = CODE) -> CaseOut:
    viewer = viewer_of(request)
    found = selectors.case_for_viewer(viewer=viewer, code=code, purpose="API close")
    closed = services.case_close(viewer=viewer, case=found, closed_on=payload.closed_on,
                                 reason=payload.reason, referred=payload.referred)
    return case_out(closed, identity=None, notes=True)


@router.post("/cases/{code}/events", response={201: EventOut, **WRITE_REFUSALS},
             tags=["cases"], summary="Record a recruitment, transit or exploitation event")
def event_add(request: HttpRequest, payload: EventIn, code: str = CODE) -> Status:
    viewer = viewer_of(request)
    found = selectors.case_for_viewer(viewer=viewer, code=code, purpose="API event")
    created = services.event_record(viewer=viewer, case=found, event=payload.to_input())
    return Status(201, event_out(created, with_description=True))


@router.get("/cases/{code}/access-log", response={200: AccessLogPageOut, **REFUSALS},
            tags=["cases", "audit"], summary="Who read or changed this case's person")
def case_access_log(
    request: HttpRequest, page: Query[PageIn], code: str = CODE
) -> AccessLogPageOut:
    viewer = viewer_of(request)
    found = selectors.case_for_viewer(viewer=viewer, code=code, purpose="API access log")
    rows, count = page_of(selectors.access_log_for_case(viewer=viewer, case=found), page)
    return AccessLogPageOut(items=[audit_entry_out(row) for row in rows], count=count)


# --- persons, identity, consents -------------------------------------------------------------

@router.post("/persons", response={201: CaseOut, **WRITE_REFUSALS}, tags=["persons"],
             summary="Register a person with identity, first case, events and consents")
def person_register(
    request: HttpRequest, payload: PersonRegisterIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> Status:
    viewer = viewer_of(request)
    created = services.person_register(
        viewer=viewer, person=payload.person.to_input(), identity=payload.identity.to_input(),
        case=payload.case.to_input(), events=[event.to_input() for event in payload.events],
        consents=[consent.to_input() for consent in payload.consents],
        # Scoped to the user, so that two clients picking the same key never collide.
        submission_key=f"api:{viewer.user.pk}:{idempotency_key}" if idempotency_key else None,
    )
    return Status(201, case_out(created, identity=None, notes=True))


@router.get("/persons/{code}/identity", response={200: IdentityOut, **REFUSALS},
            tags=["persons"], summary="A person's identity, for those who may see it")
def identity(request: HttpRequest, code: str = PERSON_CODE) -> IdentityOut:
    viewer = viewer_of(request)
    person = selectors.person_for_viewer(viewer=viewer, code=code)
    found = selectors.identity_for_viewer(viewer=viewer, person=person, purpose="API")
    if found is None:
        raise Http404
    return identity_out(found)


@router.put("/persons/{code}/identity", response={200: IdentityOut, **WRITE_REFUSALS},
            tags=["persons"], summary="Replace a person's identity")
def identity_replace(request: HttpRequest, payload: IdentityIn,
                     code: str = PERSON_CODE) -> IdentityOut:
    viewer = viewer_of(request)
    person = selectors.person_for_viewer(viewer=viewer, code=code)
    updated = services.identity_update(viewer=viewer, person=person,
                                       identity=payload.to_input())
    return identity_out(updated)


@router.post("/persons/{code}/consents", response={201: ConsentOut, **WRITE_REFUSALS},
             tags=["persons"], summary="Record a consent given or refused for one purpose")
def consent_add(request: HttpRequest, payload: ConsentIn, code: str = PERSON_CODE) -> Status:
    viewer = viewer_of(request)
    person = selectors.person_for_viewer(viewer=viewer, code=code)
    created = services.consent_record(viewer=viewer, person=person, consent=payload.to_input())
    return Status(201, consent_out(created, with_guardian=True))


@router.post("/consents/{consent_id}/withdraw", response={200: ConsentOut, **WRITE_REFUSALS},
             tags=["persons"], summary="Withdraw a consent; it stays on record")
def consent_withdraw(
    request: HttpRequest, consent_id: int = Path(..., ge=1, le=MAX_ID)
) -> ConsentOut:
    viewer = viewer_of(request)
    found = selectors.consent_for_viewer(viewer=viewer, consent_id=consent_id)
    withdrawn = services.consent_withdraw(viewer=viewer, consent=found)
    return consent_out(withdrawn, with_guardian=True)


@router.post("/persons/{code}/cases", response={201: CaseOut, **WRITE_REFUSALS},
             tags=["persons"], summary="Open another case for a person")
def case_open(request: HttpRequest, payload: CaseIn, code: str = PERSON_CODE) -> Status:
    viewer = viewer_of(request)
    person = selectors.person_for_viewer(viewer=viewer, code=code)
    created = services.case_open(viewer=viewer, person=person, case=payload.to_input())
    return Status(201, case_out(created, identity=None, notes=True))


# --- search and audit ------------------------------------------------------------------------

@router.get("/search", response={200: list[PersonFoundOut], **REFUSALS}, tags=["persons"],
            summary="Persons by name in any script, pseudonymous code or birth year")
def search(request: HttpRequest, query: Query[SearchIn]) -> list[PersonFoundOut]:
    found = selectors.persons_search(viewer=viewer_of(request), text=query.q)
    return [person_found_out(person) for person in found]


@router.get("/audit", response={200: AuditPageOut, **REFUSALS}, tags=["audit"],
            summary="The audit log, for roles that may read it")
def audit(request: HttpRequest, filters: Query[AuditFilters]) -> AuditPageOut:
    viewer = viewer_of(request)
    if not viewer.reads_audit:
        raise PermissionDenied(_("Your role does not allow reading the audit log."))
    entries = selectors.audit_entries_for_viewer(
        viewer=viewer, action=filters.action, actor_id=filters.actor_id,
        person_code=filters.person_code,
        since=filters.since.isoformat() if filters.since else "",
        until=filters.until.isoformat() if filters.until else "",
    )
    rows, count = page_of(entries, filters)
    return AuditPageOut(items=[audit_entry_full_out(row) for row in rows], count=count)
