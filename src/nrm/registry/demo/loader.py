"""Load the demo: organisations and logins (created once, found again by name), then persons
registered through registry.services.person_register, so that identities are encrypted, names
indexed and every step audited exactly as when a case worker registers someone.

This bootstraps synthetic data the way a migration loads reference data: organisations and
accounts are created directly because no acting user exists yet. Persons, cases and consents
go through the registry's services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from nrm.accounts.models import Membership, User
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.management.commands._progress import Progress
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation, ServiceType
from nrm.registry.demo.directory import (
    DEMO_PASSWORD,
    LOGINS,
    ORGANISATIONS,
    DemoLogin,
    DemoOrganisation,
)
from nrm.registry.demo.registrations import RegistrationMaker
from nrm.registry.models import Person
from nrm.registry.services import case_close, person_register

DEFAULT_PERSONS = 500
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoSummary:
    organisations_created: int
    users_created: int
    persons_registered: int


def _organisations(
    specs: Sequence[DemoOrganisation] = ORGANISATIONS,
) -> tuple[dict[str, Organisation], int]:
    services = {service.code: service for service in ServiceType.objects.all()}
    found: dict[str, Organisation] = {}
    created_count = 0
    for spec in specs:
        organisation, created = Organisation.objects.get_or_create(
            name=spec.name,
            defaults={
                "short_name": spec.short_name, "kind": spec.kind, "country": spec.country,
                "region": spec.region, "city": spec.city,
                "phone": "", "email": f"{spec.key}@example.org",
                "website": f"https://{spec.key}.example.org", "languages": spec.languages,
                "is_first_responder": spec.first_responder,
                "is_competent_authority": spec.competent_authority,
            },
        )
        if created:
            created_count += 1
            organisation.services.set([services[code] for code in spec.service_codes
                                       if code in services])
        found[spec.key] = organisation
    return found, created_count


def _users(
    organisations: dict[str, Organisation], logins: Sequence[DemoLogin] = LOGINS,
) -> tuple[dict[str, Viewer], int]:
    viewers: dict[str, Viewer] = {}
    created_count = 0
    # Argon2 is slow by design; the demo's one published password is hashed once for all.
    password_hash = ""
    for login in logins:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=login.username, password=password_hash, first_name=login.first_name,
                last_name=login.last_name, is_staff=login.staff, is_superuser=login.staff,
            )
            created_count += 1
        membership, _ = Membership.objects.select_related("organisation").get_or_create(
            user=user, organisation=organisations[login.organisation], role=login.role,
        )
        viewers[login.username] = Viewer(user=user, membership=membership)
    return viewers, created_count


def _register_persons(
    *, count: int, seed: int, organisations: dict[str, Organisation],
    viewers: dict[str, Viewer], stdout: OutputWrapper | None,
) -> int:
    maker = RegistrationMaker(
        random.Random(seed),  # noqa: S311 synthetic and repeatable by design
        {key: org.pk for key, org in organisations.items()},
        timezone.localdate(),
    )
    progress = Progress(stdout, count, "Registering demo persons") if stdout else None
    for _ in range(count):
        registration = maker.registration()
        viewer = viewers[registration.registrar]
        case = person_register(
            viewer=viewer, person=registration.person, identity=registration.identity,
            case=registration.case, events=registration.events, consents=registration.consents,
        )
        if registration.closure is not None:
            closure = registration.closure
            case_close(viewer=viewer, case=case, closed_on=min(closure.closed_on, _today()),
                       reason=closure.reason, referred=closure.referred)
        if progress:
            progress.advance()
    if progress:
        progress.finish()
    return count


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def demo_load(
    *, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED,
    stdout: OutputWrapper | None = None,
) -> DemoSummary:
    """Create what is missing of the demo; a second run finds everything and adds nothing."""
    organisations, organisations_created = _organisations()
    viewers, users_created = _users(organisations)
    demo_ids = [organisation.pk for organisation in organisations.values()]
    registered = 0
    if not Person.objects.filter(organisation_id__in=demo_ids).exists():
        registered = _register_persons(count=persons, seed=seed, organisations=organisations,
                                       viewers=viewers, stdout=stdout)
    if organisations_created or users_created or registered:
        audit_record(
            actor=None, organisation_id=None, action=AuditAction.ORGANISATION_CHANGED,
            fields=["organisations", "users", "persons"],
            purpose=(f"nrm demo: {organisations_created} organisations, {users_created} users, "
                     f"{registered} synthetic persons"),
        )
    return DemoSummary(organisations_created=organisations_created,
                       users_created=users_created, persons_registered=registered)


def demo_accounts(
    *, organisations: Sequence[DemoOrganisation] = (), logins: Sequence[DemoLogin] = (),
) -> dict[str, Viewer]:
    """The viewers of the demo's logins and of ``logins`` (another app's demo), creating the
    extra organisations and accounts that are missing exactly as the registry's own are."""
    known, _created = _organisations([*ORGANISATIONS, *organisations])
    viewers, _count = _users(known, [*LOGINS, *logins])
    return viewers


def demo_logins(
    *, extra_logins: Sequence[DemoLogin] = (),
    extra_organisations: Sequence[DemoOrganisation] = (),
) -> list[tuple[DemoLogin, Organisation]]:
    """The demo's logins with their organisations (and those of later apps' demos, passed in),
    as the table at the end of `nrm demo`."""
    specs = [*ORGANISATIONS, *extra_organisations]
    organisations = {org.name: org for org in Organisation.objects.filter(
        name__in=[spec.name for spec in specs])}
    by_key = {spec.key: organisations[spec.name] for spec in specs
              if spec.name in organisations}
    return [(login, by_key[login.organisation]) for login in [*LOGINS, *extra_logins]
            if login.organisation in by_key]
