"""`nrm seed`: many synthetic persons, fast, for benchmarks.

It bypasses person_register (one call per person would take hours for a million) but not what
makes the data real: identities are encrypted by the model fields themselves, names are indexed
by the same helper as person_register (`identity_name_digests`), and the values come from the
demo's generators. Rows are written in batches, one transaction each; on PostgreSQL with COPY
(ids drawn from the tables' own sequences), elsewhere with bulk_create. One audit entry records
the whole seed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import queue
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.core.audit import audit_record
from nrm.core.codes import new_code
from nrm.core.fields import EncryptedJSONField, EncryptedTextField
from nrm.core.management.commands._progress import Progress
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.directory.models import OrganisationKind as Kind
from nrm.registry.choices import CaseStatus
from nrm.registry.demo.places import DESTINATIONS, ORIGINS
from nrm.registry.demo.profiles import draw_case
from nrm.registry.demo.registrations import RegistrationMaker
from nrm.registry.models import Case, Identity, NameToken, Person
from nrm.registry.services import _identity_values, identity_name_digests

SEED_PREFIX = "SYN-"  # short name of the organisations that `nrm seed` creates
PERSONS_PER_CASE_WORKER = 500
# Organisation i (from 0) gets a share proportional to (i + 1) ** -exponent: with 40
# organisations and a million persons the largest hold 110k, 75k, 58k, 48k persons, and most
# hold a few thousand, as a national registry's NGOs, police and shelters would.
SIZE_EXPONENT = 0.6
REGISTERING_KINDS = (Kind.NGO, Kind.SHELTER, Kind.POLICE, Kind.HOTLINE, Kind.CONSULATE,
                     Kind.LABOUR_INSPECTORATE)
_PLACES = [place for places in (*ORIGINS.values(), *DESTINATIONS.values()) for place in places]
CLOSURE_REASON = "Assistance completed."


@dataclass(frozen=True)
class SeedOrganisation:
    pk: int
    case_worker_ids: tuple[int, ...]


@dataclass(frozen=True)
class SeedSummary:
    persons: int
    cases: int
    name_tokens: int
    seconds: float


def organisation_shares(count: int) -> list[float]:
    weights = [(index + 1) ** -SIZE_EXPONENT for index in range(count)]
    total = sum(weights)
    return [weight / total for weight in weights]


def _seed_organisations(count: int, persons: int) -> list[SeedOrganisation]:
    """The seed's organisations (created when missing), each with enough case workers."""
    existing = {org.short_name: org for org in
                Organisation.objects.filter(short_name__startswith=SEED_PREFIX)}
    count = max(count, len(existing))
    shares = organisation_shares(count)
    found: list[SeedOrganisation] = []
    sizes = dict(Person.objects.filter(organisation__short_name__startswith=SEED_PREFIX)
                 .values_list("organisation__short_name").annotate(n=Count("id")))
    for index in range(count):
        short_name = f"{SEED_PREFIX}{index + 1:03d}"
        organisation = existing.get(short_name)
        if organisation is None:
            place = _PLACES[index % len(_PLACES)]
            kind = REGISTERING_KINDS[index % len(REGISTERING_KINDS)]
            organisation = Organisation.objects.create(
                name=f"{Kind(kind).label} {place.city} No. {index + 1} (synthetic)",
                short_name=short_name, kind=kind, country=place.country, region=place.region,
                city=place.city, languages=["ru"], is_first_responder=True,
            )
        expected = sizes.get(short_name, 0) + math.ceil(persons * shares[index])
        wanted = max(1, math.ceil(expected / PERSONS_PER_CASE_WORKER))
        workers = list(Membership.objects.filter(organisation=organisation,
                                                 role=Role.CASE_WORKER)
                       .order_by("user_id").values_list("user_id", flat=True))
        if len(workers) < wanted:
            new_users = User.objects.bulk_create(
                User(username=f"seed.{index + 1:03d}.{number:04d}",
                     password=make_password(None))  # cannot sign in
                for number in range(len(workers) + 1, wanted + 1)
            )
            Membership.objects.bulk_create(
                Membership(user=user, organisation=organisation, role=Role.CASE_WORKER)
                for user in new_users
            )
            workers += [user.pk for user in new_users]
        found.append(SeedOrganisation(pk=organisation.pk, case_worker_ids=tuple(workers)))
    return found


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value becomes COPY input: encrypted fields encrypt themselves."""
    if isinstance(field, EncryptedTextField | EncryptedJSONField):
        return field.get_prep_value
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    return None


Rows = list[dict[str, Any]]
Tokens = list[tuple[int, int, str]]  # (person's index in the batch, organisation, digest)


def _link(ids: list[int], identities: Rows, cases: Rows, tokens: Tokens) -> Rows:
    """Replace each row's index in the batch by the person's id; the tokens become rows."""
    for row in itertools.chain(identities, cases):
        row["person_id"] = ids[row["person_id"]]
    return [{"person_id": ids[index], "organisation_id": organisation, "digest": digest}
            for index, organisation, digest in tokens]


class _OrmWriter:
    """Other databases (SQLite in tests): bulk_create, which encrypts through the same fields."""

    def write(self, persons: Rows, identities: Rows, cases: Rows, tokens: Tokens) -> None:
        with transaction.atomic():
            created = Person.objects.bulk_create(Person(**row) for row in persons)
            token_rows = _link([person.pk for person in created], identities, cases, tokens)
            Identity.objects.bulk_create(Identity(**row) for row in identities)
            Case.objects.bulk_create(Case(**row) for row in cases)
            NameToken.objects.bulk_create(NameToken(**row) for row in token_rows)

    def close(self) -> None:
        pass


Copy = tuple[str, list[list[Any]]]  # a COPY statement and its rows, ready to stream


def _copy(model: type[models.Model], rows: Rows) -> Copy:
    """The COPY statement for ``rows`` and the rows as the database takes them (encrypted)."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = list(rows[0]) if rows else []
    converters = [_converter(fields[name]) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(fields[name].column)) for name in names)
    values = [
        [convert(row[name]) if convert else row[name]
         for name, convert in zip(names, converters, strict=True)]
        for row in rows
    ]
    return f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", values


class _CopyWriter:
    """PostgreSQL: ids drawn from the tables' sequence, rows encrypted here and streamed with
    COPY. When not inside a caller's transaction, a second thread streams each batch while
    this one generates the next, so that the database and Python work at the same time."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.queue: queue.Queue[list[Copy] | None] = queue.Queue(maxsize=2)
        self.thread: threading.Thread | None = None
        if not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._stream, name="nrm-seed-writer",
                                           daemon=True)
            self.thread.start()

    def write(self, persons: Rows, identities: Rows, cases: Rows, tokens: Tokens) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Person._meta.db_table, len(persons)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        for row, pk in zip(persons, ids, strict=True):
            row["id"] = pk
        token_rows = _link(ids, identities, cases, tokens)
        copies = [_copy(Person, persons), _copy(Identity, identities), _copy(Case, cases),
                  _copy(NameToken, token_rows)]
        if self.thread is None:
            with transaction.atomic():
                self._send(copies)
            return
        self._raise_failure()
        self.queue.put(copies)

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self.error is not None:
            raise self.error

    def _stream(self) -> None:
        try:
            while (copies := self.queue.get()) is not None:
                if self.error is not None:
                    continue  # keep taking batches so that the generating thread never blocks
                try:
                    with transaction.atomic():
                        self._send(copies)
                except BaseException as exc:  # handed to the generating thread
                    self.error = exc
        finally:
            connection.close()

    @staticmethod
    def _send(copies: list[Copy]) -> None:
        with connection.cursor() as cursor:
            for sql, rows in copies:
                if not rows:
                    continue
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)


class Seeder:
    def __init__(self, *, seed: int, organisations: list[SeedOrganisation]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 synthetic and repeatable by design
        self.today = timezone.localdate()
        self.maker = RegistrationMaker(self.rng, {}, self.today)
        self.organisations = organisations
        self.cumulative = list(itertools.accumulate(organisation_shares(len(organisations))))
        self.writer: _CopyWriter | _OrmWriter = (
            _CopyWriter() if connection.vendor == "postgresql" else _OrmWriter()
        )
        # Codes are random; a clash with a million codes drawn is likely enough to guard.
        self.person_codes = set(Person.objects.values_list("code", flat=True))
        self.case_codes = set(Case.objects.values_list("code", flat=True))

    def _code(self, taken: set[str]) -> str:
        code = new_code()
        while code in taken:
            code = new_code()
        taken.add(code)
        return code

    def _case(self, *, drawn: Any, person_index: int, organisation: SeedOrganisation,
              worker: int, created: dt.datetime) -> dict[str, Any]:
        rng = self.rng
        status, closed_on, reason = CaseStatus.ACTIVE, None, ""
        days_open = (self.today - drawn.opened_on).days
        if days_open > 365 and rng.random() < 0.4:
            status = CaseStatus.CLOSED
            closed_on = drawn.opened_on + dt.timedelta(days=rng.randint(30, 365))
            reason = CLOSURE_REASON
        elif days_open > 60 and rng.random() < 0.15:
            status = CaseStatus.FOLLOW_UP
        return {
            "code": self._code(self.case_codes), "person_id": person_index,
            "organisation_id": organisation.pk, "case_worker_id": worker, "status": status,
            "opened_on": drawn.opened_on, "closed_on": closed_on, "closure_reason": reason,
            "entry_point": drawn.entry_point, "exploitation_types": drawn.exploitation_types,
            "labour_industry": drawn.labour_industry,
            "sexual_exploitation_types": drawn.sexual_exploitation_types,
            "means_of_control": drawn.means_of_control,
            "recruitment_methods": drawn.recruitment_methods,
            "recruiter_relationship": drawn.recruiter_relationship, "created_at": created,
            "created_by_id": worker, "updated_at": created,
        }

    def batch(self, count: int) -> tuple[int, int]:
        """Write ``count`` persons with identity, name tokens and one or two cases."""
        rng = self.rng
        persons: list[dict[str, Any]] = []
        identities: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        tokens: Tokens = []
        chosen = rng.choices(self.organisations, cum_weights=self.cumulative, k=count)
        for index, organisation in enumerate(chosen):
            worker = rng.choice(organisation.case_worker_ids)
            drawn = draw_case(rng, self.today)
            name = self.maker.names.person(drawn.citizenship, female=drawn.female)
            person = self.maker.person_input(drawn)
            identity = _identity_values(self.maker.identity_input(drawn, name))
            created = dt.datetime.combine(
                drawn.opened_on, dt.time(rng.randrange(6, 20), rng.randrange(60)), dt.UTC
            )
            persons.append({
                "code": self._code(self.person_codes), "organisation_id": organisation.pk,
                "sex": person.sex, "birth_year": person.birth_year, "age_band": person.age_band,
                "citizenships": person.citizenships, "languages": person.languages,
                "created_at": created, "created_by_id": worker, "updated_at": created,
            })
            identities.append({**identity, "person_id": index, "updated_at": created})
            tokens += [(index, organisation.pk, digest)
                       for digest in sorted(identity_name_digests(identity))]
            cases.append(self._case(drawn=drawn, person_index=index, organisation=organisation,
                                    worker=worker, created=created))
            if rng.random() < 0.08:  # an earlier situation of the same person
                earlier = draw_case(rng, drawn.opened_on - dt.timedelta(days=400))
                cases.append(self._case(drawn=earlier, person_index=index,
                                        organisation=organisation, worker=worker,
                                        created=created))
        self.writer.write(persons, identities, cases, tokens)
        return len(cases), len(tokens)


def seed_persons(
    *, persons: int, organisations: int = 40, batch: int = 5000, seed: int = 1,
    stdout: OutputWrapper | None = None,
) -> SeedSummary:
    """Add ``persons`` synthetic persons to seed organisations; one audit entry for them all."""
    with transaction.atomic():
        seed_organisations = _seed_organisations(organisations, persons)
    seeder = Seeder(seed=seed, organisations=seed_organisations)
    progress = Progress(stdout, persons, "Seeding persons") if stdout else None
    done = cases = tokens = 0
    started = timezone.now()
    try:
        while done < persons:
            size = min(batch, persons - done)
            batch_cases, batch_tokens = seeder.batch(size)
            done += size
            cases += batch_cases
            tokens += batch_tokens
            if progress:
                progress.advance(size)
    finally:
        seeder.writer.close()  # waits for the last batch to be written
    if progress:
        progress.finish()
    seconds = (timezone.now() - started).total_seconds()
    audit_record(
        actor=None, organisation_id=None, action=AuditAction.PERSON_REGISTERED,
        fields=["persons", "identities", "cases", "name_tokens"],
        purpose=f"nrm seed: {persons} synthetic persons, {cases} cases in {seconds:.0f} s",
    )
    return SeedSummary(persons=persons, cases=cases, name_tokens=tokens, seconds=seconds)
