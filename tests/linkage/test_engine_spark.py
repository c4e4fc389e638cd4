"""The same model on Spark (Splink's Spark backend, local mode): when one machine is not enough,
the registry's duplicates come out the same."""

from __future__ import annotations

import pytest

from nrm.linkage.engine import find_duplicates, find_matches
from tests.linkage.test_engine import CONSULATE, NGO, POLICE, REGISTRY

pytest.importorskip("pyspark")


@pytest.fixture
def small_spark(settings, tmp_path):
    settings.NRM_SPARK_MASTER = "local[2]"
    settings.NRM_SPARK_PARTITIONS = 2
    settings.NRM_LINKAGE_TEMP_DIR = str(tmp_path)


def test_spark_finds_the_same_pairs_with_the_same_explanations_as_duckdb(small_spark):
    on_spark = find_duplicates(REGISTRY, backend="spark")
    on_duckdb = find_duplicates(REGISTRY, backend="duckdb")
    assert [(p.left_id, p.right_id) for p in on_spark] == \
           [(p.left_id, p.right_id) for p in on_duckdb]
    for spark_pair, duckdb_pair in zip(on_spark, on_duckdb, strict=True):
        assert spark_pair.match_probability == pytest.approx(duckdb_pair.match_probability,
                                                             abs=1e-6)
        assert [(c.field, c.level) for c in spark_pair.comparisons] == \
               [(c.field, c.level) for c in duckdb_pair.comparisons]
    new = [POLICE]
    existing = [record for record in REGISTRY if record is not POLICE]
    incremental = find_matches(new, existing, backend="spark")
    assert {frozenset((p.left_id, p.right_id)) for p in incremental} == {
        frozenset((POLICE.record_id, NGO.record_id)),
        frozenset((POLICE.record_id, CONSULATE.record_id))}
