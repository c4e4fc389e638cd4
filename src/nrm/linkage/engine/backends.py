"""Where the model runs: DuckDB in this process (the default), or Spark when one machine is not
enough. Both take the same prepared columns and the same model.

Settings (environment variables, see docs/operator-guide.md):
NRM_LINKAGE_BACKEND ("duckdb" or "spark"), NRM_LINKAGE_MEMORY_LIMIT (DuckDB's memory limit,
default 3GB: a million records stay under 6 GB for the whole process), NRM_LINKAGE_TEMP_DIR
(where DuckDB spills what does not fit), NRM_LINKAGE_THREADS (0: every core),
NRM_SPARK_MASTER (default local[2]), NRM_SPARK_PARTITIONS (shuffle partitions, default 8).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

BACKENDS = ("duckdb", "spark")


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default) if settings.configured else default


def memory_limit() -> str:
    return str(_setting("NRM_LINKAGE_MEMORY_LIMIT", "3GB"))


def temp_directory() -> Path:
    configured = _setting("NRM_LINKAGE_TEMP_DIR", "")
    path = Path(configured) if configured else Path(tempfile.gettempdir()) / "nrm-linkage"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_backend() -> str:
    name = str(_setting("NRM_LINKAGE_BACKEND", "duckdb"))
    if name not in BACKENDS:
        raise ValueError(f"NRM_LINKAGE_BACKEND must be one of {', '.join(BACKENDS)}")
    return name


@dataclass
class Backend:
    """A database API for Splink and the SQL dialect its model is written in."""

    name: str
    db_api: Any
    spark: Any = None

    @property
    def dialect(self) -> str:
        return self.name

    def table(self, columns: dict[str, list[Any]], schema: dict[str, str]) -> Any:
        """Prepared columns as a table this backend registers without guessing types."""
        import pyarrow as pa

        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
                 "list": pa.list_(pa.string())}
        arrow = pa.table({name: pa.array(values, type=types[schema[name]])
                          for name, values in columns.items()})
        if self.spark is None:
            return arrow
        return self.spark.createDataFrame(arrow.to_pandas(), schema=_spark_schema(schema))

    def close(self) -> None:
        if self.spark is None:
            self.db_api.duckdb_con.close()


def _spark_schema(schema: dict[str, str]) -> Any:
    from pyspark.sql import types as st

    types = {"str": st.StringType(), "int": st.LongType(), "float": st.DoubleType(),
             "list": st.ArrayType(st.StringType())}
    return st.StructType([st.StructField(name, types[kind], True)
                          for name, kind in schema.items()])


def duckdb_backend() -> Backend:
    """An in-memory DuckDB with the configured memory limit and spill directory."""
    import duckdb
    from splink import DuckDBAPI

    threads = int(_setting("NRM_LINKAGE_THREADS", 0)) or os.cpu_count() or 1
    connection = duckdb.connect(config={
        "memory_limit": memory_limit(),
        "temp_directory": str(temp_directory()),
        "threads": threads,
        "preserve_insertion_order": False,
    })
    return Backend(name="duckdb", db_api=DuckDBAPI(connection=connection))


_spark_session: Any = None


def spark_backend() -> Backend:
    """A Spark session (NRM_SPARK_MASTER, local[2] by default) with Splink's similarity UDFs."""
    global _spark_session  # noqa: PLW0603  (one session per process, as Spark wants)
    from pyspark.sql import SparkSession
    from splink import SparkAPI
    from splink.backends.spark import similarity_jar_location

    if _spark_session is None:
        _spark_session = (
            SparkSession.builder.master(str(_setting("NRM_SPARK_MASTER", "local[2]")))
            .appName("nrm-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(_setting("NRM_SPARK_PARTITIONS", 8)))
            .config("spark.default.parallelism", str(_setting("NRM_SPARK_PARTITIONS", 8)))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.local.dir", str(temp_directory()))
            .getOrCreate()
        )
        _spark_session.sparkContext.setLogLevel("ERROR")
        checkpoints = temp_directory() / "spark-checkpoints"
        _spark_session.sparkContext.setCheckpointDir(str(checkpoints))
    partitions = int(_setting("NRM_SPARK_PARTITIONS", 8))
    return Backend(name="spark", db_api=SparkAPI(spark_session=_spark_session,
                                                 num_partitions_on_repartition=partitions),
                   spark=_spark_session)


def open_backend(name: str | None = None) -> Backend:
    """The backend named, or the configured one."""
    chosen = name or default_backend()
    if chosen == "spark":
        return spark_backend()
    if chosen == "duckdb":
        return duckdb_backend()
    raise ValueError(f"unknown linkage backend: {chosen}")
