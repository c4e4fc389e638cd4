"""`make bench`: server time of name search and of the case list with a million persons.

Uses the PostgreSQL database ``nrm_bench`` (created when missing; NRM_BENCH_DATABASE_URL
overrides it), migrates it, seeds it up to 1,000,000 persons with `nrm seed`, then times requests
handled in-process by Django (django.test.Client: the whole middleware, view, selector, template
and database path, without a network) as a case worker of the largest organisation. Prints p50
and p95 per scenario against the target (p95 ≤ 100 ms) and writes bench/results/latest.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from nrm.accounts.viewer import Viewer

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "latest.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nrm_bench"
PERSONS = int(os.environ.get("NRM_BENCH_PERSONS", "1000000"))
REQUESTS = int(os.environ.get("NRM_BENCH_REQUESTS", "200"))
WARM_UP = 20
TARGET_P95_MS = 100.0


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Creating database {name}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup() -> str:
    url = os.environ.get("NRM_BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["NRM_DATABASE_URL"] = url
    # Time the application, not the second factor; the bench user never signs in by password.
    os.environ["NRM_REQUIRE_2FA"] = "false"
    os.environ["NRM_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    sys.path.insert(0, str(BENCH_DIR.parent / "src"))
    ensure_database(url)
    import django

    django.setup()
    return url


def prepare() -> dict[str, int]:
    """Migrate, seed up to PERSONS, vacuum and refresh the planner's statistics."""
    from django.core.management import call_command
    from django.db import connection

    from nrm.registry.models import Person

    call_command("migrate", verbosity=0)
    present = Person.objects.count()
    if present < PERSONS:
        print(f"{present:,} persons present; seeding {PERSONS - present:,} (nrm seed)")
        call_command("seed", persons=PERSONS - present, organisations=40)
        present = PERSONS
    # Autovacuum does this in time on a live database; a freshly seeded one would otherwise be
    # measured without its visibility map (slow counts) and planner statistics.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return {"persons": present}


def bench_viewer() -> tuple[Viewer, dict[str, int]]:
    """A case worker of the largest organisation: the one with the most cases of their own."""
    from django.db.models import Count

    from nrm.accounts.models import Membership
    from nrm.accounts.roles import Role
    from nrm.accounts.viewer import Viewer
    from nrm.registry.models import Case, Person

    largest = (Person.objects.values("organisation_id").annotate(n=Count("id"))
               .order_by("-n").first())
    if largest is None:
        raise SystemExit("No persons to measure.")
    organisation_id = largest["organisation_id"]
    busiest = (Case.objects.filter(organisation_id=organisation_id)
               .values("case_worker_id").annotate(n=Count("id")).order_by("-n").first())
    if busiest is None:
        raise SystemExit("The largest organisation has no cases.")
    membership = Membership.objects.select_related("user", "organisation").get(
        organisation_id=organisation_id, user_id=busiest["case_worker_id"],
        role=Role.CASE_WORKER,
    )
    facts = {
        "organisation_persons": largest["n"],
        "organisation_cases": Case.objects.filter(organisation_id=organisation_id).count(),
        "case_worker_cases": busiest["n"],
    }
    return Viewer(user=membership.user, membership=membership), facts


def search_queries(viewer: Viewer, count: int) -> list[str]:
    """Names of the organisation's persons in the script they were registered in and in the
    other, surname alone, and names nobody has; in a fixed random order."""
    from nrm.core.names import transliterate
    from nrm.registry.demo.names import LATIN
    from nrm.registry.models import Identity

    rng = random.Random(42)  # a repeatable choice of names
    organisation_id = viewer.membership.organisation_id
    sample = list(Identity.objects.filter(person__organisation_id=organisation_id)
                  .select_related("person").order_by("?")[:count])
    queries: list[str] = []
    for identity in sample:
        given, family = identity.given_name, identity.family_name
        country = next((c for c in identity.person.citizenships if c != "RU"), "RU")
        draw = rng.random()
        if draw < 0.35:
            queries.append(f"{given} {family}")  # as registered
        elif draw < 0.65:
            spell = LATIN[country].spell
            queries.append(f"{spell(given)} {spell(family)}")  # the other script, or as is
        elif draw < 0.8:
            queries.append(transliterate(family))  # surname alone
        else:
            queries.append(rng.choice(ABSENT_NAMES))
    return queries


ABSENT_NAMES = (
    "Гюльчатай Абракадабрина", "Zebulon Quartermaine", "Ксенофонт Пржевальский",
    "Oluwaseun Adeyemi", "Björk Guðmundsdóttir", "Фёкла Непомнящая", "Xochitl Cuauhtemoc",
    "Mamytova Zarathustra", "Иван Несуществующий", "Ngozi Okonjo",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def measure(name: str, request: Callable[[int], object], count: int) -> dict[str, object]:
    for index in range(WARM_UP):
        request(index)
    timings = []
    for index in range(count):
        started = time.perf_counter()
        response = request(index)
        timings.append((time.perf_counter() - started) * 1000)
        status = getattr(response, "status_code", 0)
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status} on request {index}")
    p50, p95 = percentile(timings, 0.50), percentile(timings, 0.95)
    return {
        "scenario": name, "requests": count, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
        "mean_ms": round(statistics.fmean(timings), 1), "max_ms": round(max(timings), 1),
        "pass": p95 <= TARGET_P95_MS,
    }


def run_scenarios(viewer: Viewer) -> list[dict[str, object]]:
    from django.test import Client
    from django.urls import reverse

    from nrm.accounts.services import api_token_create

    client = Client()
    client.force_login(viewer.user)
    _, token = api_token_create(viewer=viewer, name="benchmark", days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    queries = search_queries(viewer, REQUESTS)
    search_url = reverse("registry:search")
    cases_url = reverse("registry:my_cases")

    def query(index: int) -> str:
        return queries[index % len(queries)]

    scenarios: list[tuple[str, Callable[[int], object]]] = [
        ("search page (name)", lambda i: client.get(search_url, {"q": query(i)})),
        ("API search (name)", lambda i: api.get("/api/v1/search", {"q": query(i)})),
        ("case list: my cases, page 1", lambda i: client.get(cases_url, {"tab": "mine"})),
        ("case list: organisation, page 1",
         lambda i: client.get(cases_url, {"tab": "organisation"})),
        ("case list: organisation, page 200",
         lambda i: client.get(cases_url, {"tab": "organisation", "page": 200})),
        ("API case list, page 1", lambda i: api.get("/api/v1/cases")),
    ]
    results = []
    for name, request in scenarios:
        result = measure(name, request, REQUESTS)
        results.append(result)
        print(f"  {name:36} p50 {result['p50_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms   "
              f"{'PASS' if result['pass'] else 'FAIL'}")
    return results


def main() -> int:
    url = setup()
    facts = prepare()
    viewer, viewer_facts = bench_viewer()
    facts.update(viewer_facts)
    print(f"Database {urlsplit(url).path.lstrip('/')}: {facts['persons']:,} persons; the largest "
          f"organisation has {facts['organisation_persons']:,} persons and "
          f"{facts['organisation_cases']:,} cases; its busiest case worker "
          f"{facts['case_worker_cases']:,} cases.")
    print(f"Server time of {REQUESTS} requests per scenario (after {WARM_UP} to warm up); "
          f"target p95 ≤ {TARGET_P95_MS:.0f} ms:")
    results = run_scenarios(viewer)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "target_p95_ms": TARGET_P95_MS, "postgresql": server_version,
        "cpus": os.cpu_count(), "python": platform.python_version(), **facts,
        "scenarios": results,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"Figures written to {RESULTS.relative_to(BENCH_DIR.parent)}")
    return 0 if all(result["pass"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
