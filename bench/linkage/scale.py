"""Scale: a million generated records deduplicated by `find_duplicates` and `clusters_of`, the
same calls the registry's background run makes, with DuckDB's memory limit as configured.

Run as its own process (`python -m bench.linkage.scale N`) so that its peak memory is its own:
the parent reads the child's peak resident set (getrusage RUSAGE_CHILDREN) after it ends. The
time counted is the deduplication (preparing, training, predicting, explaining, clustering);
generating the records is reported apart.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def child(records: int) -> dict[str, Any]:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    import django

    django.setup()
    from bench.linkage.generator import generate
    from bench.linkage.metrics import score, true_pairs

    from nrm.linkage.engine import DEFAULT_THRESHOLD, clusters_of, find_duplicates
    from nrm.linkage.engine.backends import memory_limit

    started = time.perf_counter()
    persons = int(records / 1.9)  # about 2.05 records a person: enough to cut at exactly N
    dataset = generate(persons, seed=1_000_000, name_pool="huge")
    dataset.records[:] = dataset.records[:records]
    generated = time.perf_counter() - started
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(done: int, total: int, step: str = "") -> None:
        steps.append((step, round(time.perf_counter() - started, 1)))

    pairs = find_duplicates(dataset.records, progress=progress)
    clusters = clusters_of((r.record_id for r in dataset.records), pairs)
    seconds = time.perf_counter() - started
    ids = {r.record_id for r in dataset.records}
    truth = true_pairs({k: v for k, v in dataset.person_of.items() if k in ids})
    found = score([(p.left_id, p.right_id) for p in pairs], truth)
    return {
        "records": len(dataset.records), "generate_seconds": round(generated, 1),
        "dedupe_seconds": round(seconds, 1), "steps": steps, "pairs": len(pairs),
        "persons_found": len(set(clusters.values())),
        "persons_true": len({dataset.person_of[i] for i in ids}),
        "f1": round(found.f1, 4), "precision": round(found.precision, 4),
        "recall": round(found.recall, 4), "threshold": DEFAULT_THRESHOLD,
        "duckdb_memory_limit": memory_limit(),
        "peak_rss_self_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(records: int) -> dict[str, Any]:
    """Run the child process and add its peak memory as the parent measures it."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    completed = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bench.linkage.scale", str(records)], cwd=ROOT,
        capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"scale run failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest child's peak, in KiB on Linux.
    result["peak_rss_mb"] = round(max(peak, before) / 1024)
    result["process_wall_seconds"] = round(wall, 1)
    return result


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]))))
