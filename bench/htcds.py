"""HTCDS export and import at the size of a national registry: how long they take, to decide what
runs in the request and what as a background job.

Uses the PostgreSQL database ``nrm_htcds_bench`` (created when missing; NRM_BENCH_DATABASE_URL
overrides it, a ``sqlite:///…`` URL measures SQLite), seeds it with `nrm seed` up to
NRM_BENCH_PERSONS persons (default 40,000) in 4 organisations, then, as a case worker of the
largest organisation:

- gives its cases support plans, once (an ended Health plan on every second case, an open
  Livelihood plan on every fourth), so that the spl_ columns are measured too;
- exports its cases with identity as CSV and as XLSX (the selector and the writer, end to end);
- takes the first NRM_BENCH_IMPORT_ROWS rows (default 5,000, the default NRM_IMPORT_MAX_ROWS)
  of that export and imports them into another organisation: the check, then the commit.

Prints the seconds of each step and writes bench/results/htcds.json.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nrm.accounts.viewer import Viewer

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "htcds.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nrm_htcds_bench"
PERSONS = int(os.environ.get("NRM_BENCH_PERSONS", "40000"))
IMPORT_ROWS = int(os.environ.get("NRM_BENCH_IMPORT_ROWS", "5000"))
IMPORTER = "Bench importer"


def setup() -> str:
    url = os.environ.get("NRM_BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["NRM_DATABASE_URL"] = url
    os.environ["NRM_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    sys.path.insert(0, str(BENCH_DIR.parent / "src"))
    sys.path.insert(0, str(BENCH_DIR))
    if url.startswith("postgres"):
        from run import ensure_database

        ensure_database(url)
    import django

    django.setup()
    return url


class Timer:
    """Times steps and keeps their seconds in ``results``."""

    def __init__(self, results: dict[str, object]) -> None:
        self.results = results

    def __call__(self, name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        value = work()
        seconds = time.perf_counter() - started
        self.results[name] = round(seconds, 2)
        print(f"{name:32} {seconds:8.2f} s")
        return value


def prepare() -> None:
    """Migrate, seed up to PERSONS, and give the planner its statistics."""
    from django.core.management import call_command
    from django.db import connection

    from nrm.registry.models import Person

    call_command("migrate", verbosity=0)
    present = Person.objects.count()
    if present < PERSONS:
        call_command("seed", persons=PERSONS - present, organisations=4)
        if connection.vendor == "postgresql":
            # As autovacuum would in time: a freshly seeded database has no planner statistics.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")


def exporter() -> Viewer:
    """A case worker of the seeded organisation with the most cases."""
    from django.db.models import Count

    from nrm.accounts.models import Membership
    from nrm.accounts.roles import Role
    from nrm.accounts.viewer import Viewer
    from nrm.registry.models import Case

    largest = (Case.objects.exclude(organisation__name__startswith=IMPORTER)
               .values("organisation_id", "case_worker_id").annotate(n=Count("id"))
               .order_by("-n").first())
    if largest is None:
        raise SystemExit("No cases to measure.")
    membership = Membership.objects.select_related("organisation", "user").get(
        organisation_id=largest["organisation_id"], user_id=largest["case_worker_id"],
        role=Role.CASE_WORKER)
    return Viewer(user=membership.user, membership=membership)


def plan(viewer: Viewer) -> None:
    """Support plans on the exporter's organisation's cases, once: synthetic, written in bulk like
    `nrm seed` writes the cases themselves."""
    import datetime as dt

    from nrm.assistance.models import SupportPlan
    from nrm.registry.models import Case

    cases = Case.objects.filter(organisation_id=viewer.organisation_id)
    if SupportPlan.objects.filter(case__in=cases).exists():
        return
    plans = []
    for number, case_id in enumerate(cases.order_by("id").values_list("id", flat=True)):
        common = {"case_id": case_id, "recorded_by": viewer.user,
                  "recorded_for_id": viewer.organisation_id}
        if number % 2 == 0:
            plans.append(SupportPlan(
                plan_type="Health", objectives=f"Synthetic health objectives {number}",
                action_plan="Weekly visits to the clinic", started_on=dt.date(2024, 1, 10),
                planned_end_on=dt.date(2024, 6, 30), actual_end_on=dt.date(2024, 6, 1),
                **common))
        if number % 4 == 0:
            plans.append(SupportPlan(
                plan_type="Livelihood", objectives=f"Synthetic livelihood objectives {number}",
                action_plan="Sewing course", started_on=dt.date(2024, 6, 1), **common))
    SupportPlan.objects.bulk_create(plans, batch_size=2000)


def importer() -> Viewer:
    """A case worker of a new organisation, so that every run imports afresh."""
    from nrm.accounts.models import Membership, User
    from nrm.accounts.roles import Role
    from nrm.accounts.viewer import Viewer
    from nrm.directory.models import Organisation

    stamp = time.strftime("%Y%m%d%H%M%S")
    organisation = Organisation.objects.create(name=f"{IMPORTER} {stamp}", kind="ngo",
                                               country="KG")
    user = User.objects.create(username=f"bench_importer_{stamp}")
    membership = Membership.objects.create(user=user, organisation=organisation,
                                           role=Role.CASE_WORKER)
    return Viewer(user=user, membership=Membership.objects.select_related(
        "organisation").get(pk=membership.pk))


def measure_export(viewer: Viewer, timed: Timer) -> bytes:
    from nrm.interchange.htcds.export import csv_chunks, xlsx_bytes
    from nrm.interchange.selectors import ExportFilters, htcds_export

    filters = ExportFilters(identity=True)

    def as_csv() -> bytes:
        export = htcds_export(viewer=viewer, filters=filters, file_format="csv")
        return b"".join(csv_chunks(export.columns, export.rows))

    def as_xlsx() -> bytes:
        export = htcds_export(viewer=viewer, filters=filters, file_format="xlsx")
        return xlsx_bytes(export.columns, export.rows)

    content: bytes = timed("export_csv_seconds", as_csv)
    timed("export_xlsx_seconds", as_xlsx)
    timed.results["exported_cases"] = content.count(b"\r\n") - 1
    timed.results["export_csv_bytes"] = len(content)
    return content


def measure_import(exported: bytes, timed: Timer) -> None:
    from django.conf import settings

    from nrm.interchange.services import htcds_import_commit, htcds_import_start

    sample = b"\r\n".join(exported.split(b"\r\n")[:IMPORT_ROWS + 1]) + b"\r\n"
    viewer = importer()
    settings.NRM_IMPORT_MAX_ROWS = max(IMPORT_ROWS, settings.NRM_IMPORT_MAX_ROWS)
    settings.NRM_IMPORT_MAX_BYTES = max(len(sample) + 1, settings.NRM_IMPORT_MAX_BYTES)
    # The check runs as a job inside htcds_import_start (immediate backend).
    started = timed("import_check_seconds", lambda: htcds_import_start(
        viewer=viewer, filename="bench.csv", content=sample, consent_method="written"))
    summary = started.check_job.result
    timed.results["import_rows"] = summary["counts"]["cases"]
    timed.results["import_problems"] = summary["problem_count"]
    type(started).objects.filter(pk=started.pk).update(status="committing")
    timed("import_commit_seconds",
          lambda: htcds_import_commit(viewer=viewer, htcds_import=started))


def main() -> None:
    url = setup()
    prepare()
    from nrm.registry.models import Person

    results: dict[str, object] = {
        "database": url.split(":")[0], "persons": Person.objects.count(),
        "python": platform.python_version(), "machine": platform.machine(),
        "load_average": os.getloadavg()[0],
    }
    timed = Timer(results)
    viewer = exporter()
    plan(viewer)
    from nrm.assistance.models import SupportPlan

    results["support_plans"] = SupportPlan.objects.filter(
        case__organisation_id=viewer.organisation_id).count()
    measure_import(measure_export(viewer, timed), timed)
    results["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
