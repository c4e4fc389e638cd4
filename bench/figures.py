"""`make bench-figures`: server time of the referral and assistance figures at the size of a
regional hub.

Uses the PostgreSQL database ``nrm_bench_figures`` (created when missing; NRM_BENCH_DATABASE_URL
overrides it) and migrates it. Seeds it once per size (a second run at the same size only
measures):

- 40 synthetic organisations of several kinds in Kazakhstan, Kyrgyzstan, Tajikistan,
  Turkmenistan and Uzbekistan, and a ministry with a national coordinator in each country;
- NRM_BENCH_PERSONS synthetic persons (default: half the referrals) with their cases, by
  `nrm seed` (which places them in those organisations, the largest first);
- NRM_BENCH_REFERRALS referrals (default 200,000) over five years, in every status, one in five
  across a border, answered after hours to days; about two service records per referral of every
  service type, costed in the provider's currency or in USD or EUR; about one follow-up contact
  per referral, done or due; a few hundred linkage clusters (persons decided to be the same).

The seed runs in a child process (its progress bars on the terminal), so that the process that
measures holds nothing of it. That process then times the page and the API, handled in-process by
Django (django.test.Client: middleware, view, selector, template and database, without a network),
as the national coordinator of the country with the most referrals, for the last twelve months
and for all time, by every breakdown the page offers. For each scenario: p50 and p95 of
NRM_BENCH_FIGURES_REQUESTS requests (default 20) after 2 to warm up, the peak of Python's heap
during one further request (tracemalloc, which would slow the timed requests, so it runs on its
own), and the process's peak resident set (ru_maxrss) after the scenario. Prints a table against
the target (p95 ≤ 2 s) and writes bench/results/figures.json.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from nrm.accounts.viewer import Viewer

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "figures.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nrm_bench_figures"
REFERRALS = int(os.environ.get("NRM_BENCH_REFERRALS", "200000"))
PERSONS = int(os.environ.get("NRM_BENCH_PERSONS", str(max(REFERRALS // 2, 100))))
REQUESTS = int(os.environ.get("NRM_BENCH_FIGURES_REQUESTS", "20"))
WARM_UP = 2
TARGET_P95_MS = 2000.0
SEED = 2026  # every random draw of the seed is repeatable

COUNTRIES = ("KZ", "KG", "UZ", "TJ", "TM")
CURRENCIES = {"KZ": "KZT", "KG": "KGS", "UZ": "UZS", "TJ": "TJS", "TM": "TMT"}
# A rough unit price per service in US dollars, and the local currency's units per dollar.
PER_DOLLAR = {"KZT": Decimal(480), "KGS": Decimal(87), "UZS": Decimal(12500),
              "TJS": Decimal(11), "TMT": Decimal("3.5"), "USD": Decimal(1),
              "EUR": Decimal("0.92")}
ORGANISATIONS = 40
COORDINATOR_PREFIX = "bench.coordinator."
BATCH = 10_000  # referrals (with their services and follow-ups) written per transaction


def setup() -> str:
    url = os.environ.get("NRM_BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["NRM_DATABASE_URL"] = url
    # Time the application, not the second factor; the bench user never signs in by password.
    os.environ["NRM_REQUIRE_2FA"] = "false"
    os.environ["NRM_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    sys.path.insert(0, str(BENCH_DIR.parent / "src"))
    sys.path.insert(0, str(BENCH_DIR))
    from run import ensure_database

    ensure_database(url)
    import django

    django.setup()
    return url


# --- the seed (in a child process) ---------------------------------------------------------------

def _organisations() -> None:
    """The seed's organisations, made before `nrm seed` so that it fills these (it reuses the
    SYN- organisations it finds) instead of placing its own across origin and destination
    countries; and a ministry with a national coordinator in each of the five countries."""
    from django.contrib.auth.hashers import make_password

    from nrm.accounts.models import Membership, User
    from nrm.accounts.roles import Role
    from nrm.directory.models import Organisation
    from nrm.directory.models import OrganisationKind as Kind
    from nrm.registry.demo.bulk import SEED_PREFIX

    kinds = (Kind.NGO, Kind.SHELTER, Kind.POLICE, Kind.SOCIAL_PROTECTION, Kind.HEALTH,
             Kind.LEGAL_AID, Kind.INTERNATIONAL, Kind.HOTLINE, Kind.LABOUR_INSPECTORATE,
             Kind.MIGRATION_SERVICE, Kind.CONSULATE)
    existing = set(Organisation.objects.filter(short_name__startswith=SEED_PREFIX)
                   .values_list("short_name", flat=True))
    Organisation.objects.bulk_create(
        Organisation(name=f"{Kind(kinds[index % len(kinds)]).label} No. {index + 1} "
                          f"(synthetic)",
                     short_name=f"{SEED_PREFIX}{index + 1:03d}",
                     kind=kinds[index % len(kinds)], country=COUNTRIES[index % len(COUNTRIES)],
                     languages=["ru"], is_first_responder=True)
        for index in range(ORGANISATIONS)
        if f"{SEED_PREFIX}{index + 1:03d}" not in existing)
    for country in COUNTRIES:
        username = f"{COORDINATOR_PREFIX}{country.lower()}"
        if User.objects.filter(username=username).exists():
            continue
        ministry = Organisation.objects.create(
            name=f"Ministry of Labour and Social Protection, {country} (synthetic)",
            short_name=f"BENCH-MIN-{country}", kind=Kind.OTHER, country=country,
            is_competent_authority=True)
        user = User.objects.create(username=username, password=make_password(None))
        Membership.objects.create(user=user, organisation=ministry,
                                  role=Role.NATIONAL_COORDINATOR)


def _sent_at(rng: random.Random, now: dt.datetime) -> dt.datetime:
    # Five years, more of them recent (the NRM grows).
    share = rng.random() ** 0.7
    return now - dt.timedelta(days=5 * 365 * share, seconds=rng.randrange(86400))


def _blank_unknown(band: str) -> str:
    from nrm.identification.figures import UNKNOWN

    return "" if band == UNKNOWN else band


def _hours_to_answer(rng: random.Random) -> float:
    # Median about a day; a long tail of a few weeks.
    return min(rng.lognormvariate(3.2, 1.1), 24 * 40)


class _ReferralSeeder:
    """Referrals with their services and follow-ups, a batch at a time."""

    def __init__(self, rng: random.Random) -> None:
        from django.utils import timezone

        from nrm.accounts.models import Membership
        from nrm.accounts.roles import Role
        from nrm.assistance.choices import ASSISTANCE_SERVICE_TYPES
        from nrm.directory.models import Organisation
        from nrm.registry.demo.bulk import SEED_PREFIX
        from nrm.registry.models import Case

        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.organisations = list(Organisation.objects.filter(short_name__startswith=SEED_PREFIX)
                                  .values_list("id", "country", "kind"))
        self.country_of = {pk: country for pk, country, _kind in self.organisations}
        self.by_country: dict[str, list[int]] = {}
        for pk, country, _kind in self.organisations:
            self.by_country.setdefault(country, []).append(pk)
        workers: dict[int, list[int]] = {}
        for organisation_id, user_id in Membership.objects.filter(
                organisation_id__in=self.country_of, role=Role.CASE_WORKER).values_list(
                "organisation_id", "user_id"):
            workers.setdefault(organisation_id, []).append(user_id)
        self.workers = workers
        self.cases = list(Case.objects.filter(organisation_id__in=self.country_of).values_list(
            "id", "organisation_id", "person__sex", "person__birth_year", "person__age_band",
            "opened_on"))
        # Services by how often they are given (shelter, medical and psycho-social the most).
        self.service_types = list(ASSISTANCE_SERVICE_TYPES)
        self.service_weights = [6 if code in {"shelter", "medical", "psycho_social",
                                              "legal_counselling"} else 2
                                for code in self.service_types]
        self.codes: set[str] = set()

    def _code(self) -> str:
        from nrm.core.codes import new_code

        code = new_code()
        while code in self.codes:
            code = new_code()
        self.codes.add(code)
        return code

    def _worker(self, organisation_id: int) -> int:
        return self.rng.choice(self.workers[organisation_id])

    def referral(self) -> Any:
        from nrm.identification.figures import age_band_at
        from nrm.referrals.choices import ReferralStatus as Status
        from nrm.referrals.choices import Urgency
        from nrm.referrals.models import Referral

        rng = self.rng
        case_id, sender, sex, birth_year, age_band, _opened_on = rng.choice(self.cases)
        country = self.country_of[sender]
        if rng.random() < 0.2:  # across a border, to another of the five countries
            to_country = rng.choice([c for c in COUNTRIES if c != country])
        else:
            to_country = country
        receiver = rng.choice([pk for pk in self.by_country[to_country] if pk != sender])
        draw = rng.random()
        status = (Status.COMPLETED if draw < 0.38 else Status.IN_PROGRESS if draw < 0.50
                  else Status.ACCEPTED if draw < 0.58 else Status.DECLINED if draw < 0.71
                  else Status.EXPIRED if draw < 0.81 else Status.CANCELLED if draw < 0.89
                  else Status.SENT)
        if status == Status.SENT:  # still awaiting an answer: recent
            sent_at = self.now - dt.timedelta(hours=rng.uniform(1, 24 * 6))
        else:
            sent_at = _sent_at(rng, self.now)
        urgency = rng.choices(list(Urgency), weights=(1, 3, 6))[0]
        due_at = sent_at + dt.timedelta(hours={Urgency.EMERGENCY: 24, Urgency.URGENT: 72,
                                               Urgency.ROUTINE: 240}[urgency])
        expires_at = due_at + dt.timedelta(days=7)
        responded_at = started_at = completed_at = closed_at = None
        # A cancelled referral was answered first one time in three.
        answered = status in {Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED,
                              Status.DECLINED} or (status == Status.CANCELLED
                                                   and rng.random() < 0.33)
        if answered:
            responded_at = min(sent_at + dt.timedelta(hours=_hours_to_answer(rng)), self.now)
        if status in {Status.IN_PROGRESS, Status.COMPLETED}:
            started_at = min(responded_at + dt.timedelta(days=rng.uniform(0, 5)), self.now)
        if status == Status.COMPLETED:
            completed_at = min(started_at + dt.timedelta(days=rng.uniform(10, 200)), self.now)
        if status == Status.EXPIRED:
            closed_at = expires_at
        if status == Status.CANCELLED:
            closed_at = min((responded_at or sent_at) + dt.timedelta(days=rng.uniform(0, 10)),
                            self.now)
        return Referral(
            code=self._code(), case_id=case_id, from_organisation_id=sender,
            from_country=country, sender_name="", sent_by_id=self._worker(sender),
            to_organisation_id=receiver, to_country=to_country,
            services_requested=rng.sample(self.service_types, rng.randint(1, 3)),
            urgency=urgency, shared_fields=[], shared=None,
            sex=sex, age_band=_blank_unknown(age_band_at(
                birth_year=birth_year, year=sent_at.year, age_band=age_band)),
            status=status, sent_at=sent_at, due_at=due_at, expires_at=expires_at,
            responded_at=responded_at,
            responded_by_id=self._worker(receiver) if responded_at else None,
            started_at=started_at, completed_at=completed_at, closed_at=closed_at,
        )

    def services(self, referral: Any) -> list[Any]:
        """About two per referral: the receiver's when it took the person on, else the
        referrer's own."""
        from nrm.assistance.choices import ServiceOutcome as Outcome
        from nrm.assistance.models import ServiceRecord
        from nrm.referrals.choices import ReferralStatus as Status

        rng = self.rng
        taken_on = referral.status in {Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED}
        count = rng.choices((0, 1, 2, 3, 4), weights=(1, 3, 4, 3, 1) if taken_on
                            else (3, 3, 2, 1, 1))[0]
        provider = referral.to_organisation_id if taken_on else referral.from_organisation_id
        worker = self._worker(provider)
        start = (referral.started_at or referral.responded_at or referral.sent_at).date()
        records = []
        for _index in range(count):
            started_on = min(start + dt.timedelta(days=rng.randint(0, 60)), self.today)
            outcome = rng.choices(list(Outcome), weights=(15, 60, 8, 5, 7, 5))[0]
            ended_on = None
            if outcome != Outcome.IN_PROGRESS or rng.random() < 0.3:
                ended_on = min(started_on + dt.timedelta(days=rng.randint(0, 120)), self.today)
            cost = currency = None
            if rng.random() < 0.7:
                currency = (CURRENCIES[self.country_of[provider]] if rng.random() < 0.8
                            else rng.choice(("USD", "EUR")))
                dollars = Decimal(rng.randint(20, 1500))
                cost = (dollars * PER_DOLLAR[currency]).quantize(Decimal("0.01"))
            records.append(ServiceRecord(
                case_id=referral.case_id, service_type=rng.choices(
                    self.service_types, weights=self.service_weights)[0],
                provider_id=provider, referral_id=referral.pk if taken_on else None,
                started_on=started_on, ended_on=ended_on, cost=cost, currency=currency or "",
                outcome=outcome, recorded_by_id=worker, recorded_for_id=provider,
            ))
        return records

    def follow_up(self, referral: Any) -> Any:
        """About one per referral, by the referrer: done when its day has passed, mostly."""
        from nrm.assistance.choices import ContactMode
        from nrm.assistance.models import FollowUp

        rng = self.rng
        planned_on = referral.sent_at.date() + dt.timedelta(days=rng.randint(30, 240))
        done_on = None
        if planned_on <= self.today and rng.random() < 0.75:
            done_on = min(planned_on + dt.timedelta(days=rng.randint(-5, 20)), self.today)
        return FollowUp(case_id=referral.case_id, planned_on=planned_on,
                        mode=rng.choice(list(ContactMode)), done_on=done_on,
                        reached=True if done_on else None,
                        recorded_by_id=self._worker(referral.from_organisation_id),
                        recorded_for_id=referral.from_organisation_id)


def _clusters(rng: random.Random, count: int) -> int:
    """``count`` persons clusters of two or three records, as linkage's reviews leave them: known
    by their first-registered member. Written directly (the reviews that would make them are not
    what is measured)."""
    from nrm.linkage.models import ClusterMember
    from nrm.registry.models import Person

    ids = list(Person.objects.values_list("id", flat=True))
    chosen = rng.sample(ids, min(len(ids), count * 3))
    members = []
    position = 0
    for _cluster in range(count):
        size = rng.choice((2, 2, 3))
        group = chosen[position:position + size]
        position += size
        if len(group) < 2:
            break
        members += [ClusterMember(person_id=person, cluster_id=min(group)) for person in group]
    ClusterMember.objects.bulk_create(members)
    return len(members)


def seed() -> dict[str, Any]:
    """Everything the figures read, once per size; returns what it did and how long it took."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from nrm.assistance.models import FollowUp, ServiceRecord
    from nrm.core.management.commands._progress import Progress
    from nrm.linkage.models import ClusterMember
    from nrm.referrals.models import Referral
    from nrm.registry.models import Person

    call_command("migrate", verbosity=0)
    done: dict[str, Any] = {}
    started = time.perf_counter()
    _organisations()
    present = Person.objects.count()
    if present < PERSONS:
        print(f"{present:,} persons present; seeding {PERSONS - present:,} (nrm seed)")
        call_command("seed", persons=PERSONS - present, organisations=ORGANISATIONS,
                     seed=SEED)
        done["persons_seconds"] = round(time.perf_counter() - started, 1)
    if Referral.objects.count() == REFERRALS and ServiceRecord.objects.exists():
        print(f"{REFERRALS:,} referrals present: seeded at this size already.")
        done["already_seeded"] = True
        return done
    # Another size, or an interrupted seed: these tables are the bench's alone; start again.
    with transaction.atomic():
        for model in (ServiceRecord, FollowUp, ClusterMember):
            model.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM referrals_referralstatuschange")
            cursor.execute("DELETE FROM referrals_referral")
    rng = random.Random(SEED)
    seeder = _ReferralSeeder(rng)
    progress = Progress(sys.stdout, REFERRALS, "Seeding referrals, services, follow-ups")
    referrals_started = time.perf_counter()
    services = follow_ups = 0
    written = 0
    while written < REFERRALS:
        size = min(BATCH, REFERRALS - written)
        with transaction.atomic():
            batch = Referral.objects.bulk_create([seeder.referral() for _ in range(size)])
            records = [record for referral in batch for record in seeder.services(referral)]
            ServiceRecord.objects.bulk_create(records, batch_size=5000)
            FollowUp.objects.bulk_create([seeder.follow_up(referral) for referral in batch
                                          if rng.random() < 0.95], batch_size=5000)
        services += len(records)
        follow_ups = FollowUp.objects.count()
        written += size
        progress.advance(size)
    progress.finish()
    clustered = _clusters(rng, min(400, PERSONS // 50))
    done["referrals_seconds"] = round(time.perf_counter() - referrals_started, 1)
    print("VACUUM (ANALYZE)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    done.update(services=services, follow_ups=follow_ups, clustered_records=clustered,
                seconds=round(time.perf_counter() - started, 1))
    print(f"Seeded {REFERRALS:,} referrals, {services:,} service records, {follow_ups:,} "
          f"follow-up contacts and {clustered} clustered records in "
          f"{done['referrals_seconds']:.1f} s (all of the seed: {done['seconds']:.1f} s).")
    return done


# --- the measurement -----------------------------------------------------------------------------

def facts() -> dict[str, Any]:
    from django.db.models import Count

    from nrm.assistance.models import FollowUp, ServiceRecord
    from nrm.linkage.models import ClusterMember
    from nrm.referrals.models import Referral
    from nrm.registry.models import Case, Person

    by_country = dict(Referral.objects.values_list("from_country").annotate(n=Count("id")))
    return {
        "persons": Person.objects.count(), "cases": Case.objects.count(),
        "referrals": Referral.objects.count(), "service_records": ServiceRecord.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "clustered_records": ClusterMember.objects.count(),
        "referrals_by_country": dict(sorted(by_country.items(), key=lambda item: -item[1])),
    }


def coordinator(country: str) -> Viewer:
    from nrm.accounts.models import Membership
    from nrm.accounts.viewer import Viewer

    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=f"{COORDINATOR_PREFIX}{country.lower()}")
    return Viewer(user=membership.user, membership=membership)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(name: str, request: Callable[[], Any], count: int) -> dict[str, Any]:
    for _index in range(WARM_UP):
        request()
    timings = []
    for index in range(count):
        started = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} on request {index}")
    gc.collect()
    tracemalloc.start()
    request()
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    p50, p95 = percentile(timings, 0.50), percentile(timings, 0.95)
    return {
        "scenario": name, "requests": count, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
        "mean_ms": round(statistics.fmean(timings), 1), "max_ms": round(max(timings), 1),
        "heap_peak_mb": round(heap_peak / 2**20, 1), "max_rss_mb": round(_max_rss_mb(), 1),
        "pass": p95 <= TARGET_P95_MS,
    }


def run_scenarios(viewer: Viewer) -> tuple[list[dict[str, Any]], dict[str, str]]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from nrm.accounts.services import api_token_create
    from nrm.statistics.assistance_figures import BREAKDOWNS

    page = Client()
    page.force_login(viewer.user)
    _, token = api_token_create(viewer=viewer, name="figures benchmark", days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = reverse("statistics:assistance")
    today = timezone.localdate()
    year = {"since": (today - dt.timedelta(days=364)).isoformat(), "until": today.isoformat()}
    periods = {"last 12 months": year, "all time": {}}
    results = []
    for period, dates in periods.items():
        for breakdown in BREAKDOWNS:
            page_query = {**dates, "by": breakdown}
            api_query = {**dates, "breakdown": breakdown}
            for surface, request in (
                    ("page", lambda q=page_query: page.get(url, q)),
                    ("API", lambda q=api_query: api.get("/api/v1/statistics/assistance", q))):
                name = f"{surface}, {period}, by {breakdown.replace('_', ' ')}"
                result = measure(name, request, REQUESTS)
                results.append(result)
                print(f"  {name:44} p50 {result['p50_ms']:8.1f} ms  p95 {result['p95_ms']:8.1f}"
                      f" ms  heap {result['heap_peak_mb']:6.1f} MB  max RSS "
                      f"{result['max_rss_mb']:6.0f} MB  {'PASS' if result['pass'] else 'FAIL'}")
    return results, {"last 12 months": f"{year['since']} to {year['until']}",
                     "all time": "no dates"}


def main() -> int:
    if "--seed-only" in sys.argv:
        setup()
        done = seed()
        Path(sys.argv[-1]).write_text(json.dumps(done))
        return 0
    # The seed in a child process: this one's peak memory is then the measurement's own.
    seed_file = BENCH_DIR / "results" / ".figures-seed.json"
    seed_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, "--seed-only", str(seed_file)],  # noqa: S603 ourselves
                   check=True)
    seeded = json.loads(seed_file.read_text())
    seed_file.unlink()
    url = setup()
    rss_before = _max_rss_mb()
    found = facts()
    country = next(iter(found["referrals_by_country"]))
    viewer = coordinator(country)
    print(f"Database {urlsplit(url).path.lstrip('/')}: {found['persons']:,} persons, "
          f"{found['cases']:,} cases, {found['referrals']:,} referrals, "
          f"{found['service_records']:,} service records, {found['follow_ups']:,} follow-up "
          f"contacts, {found['clustered_records']} records in linkage clusters.")
    print(f"As the national coordinator of {country} ({found['referrals_by_country'][country]:,} "
          f"referrals sent from there): {REQUESTS} requests per scenario after {WARM_UP} to "
          f"warm up; target p95 ≤ {TARGET_P95_MS / 1000:.0f} s.")
    results, periods = run_scenarios(viewer)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    RESULTS.write_text(json.dumps({
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "target_p95_ms": TARGET_P95_MS, "postgresql": server_version,
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_average": os.getloadavg(), "coordinator_country": country, "periods": periods,
        "seed": seeded, **found,
        "max_rss_mb": {"before": round(rss_before, 1), "after": round(_max_rss_mb(), 1),
                       "meaning": "ru_maxrss of the measuring process (Django set up, no seed)"},
        "heap_peak_mb_meaning": "tracemalloc peak during one request after the timed ones",
        "scenarios": results,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"Process peak RSS: {rss_before:.0f} MB before the scenarios, {_max_rss_mb():.0f} MB "
          f"after (ru_maxrss). Load average now: "
          f"{', '.join(f'{load:.1f}' for load in os.getloadavg())}.")
    print(f"Figures written to {RESULTS.relative_to(BENCH_DIR.parent)}")
    return 0 if all(result["pass"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
