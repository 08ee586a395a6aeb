"""Helpers shared by the analysts' notebooks: one SparkSession with Delta, and the warehouse catalog.

The notebooks open tables by name (``gold.release_time_facts``) through the same catalog layout the
jobs use: every Delta table under ``<warehouse>/<layer>/<table>`` is registered as ``<layer>.<table>``.
Analysts should prefer the ``analyst.*`` views, which hash enterprise tax codes and officer ids
(see conf/analyst_views.sql and docs/privacy.md).
"""
from __future__ import annotations

import glob
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS = ("bronze", "silver", "gold", "ops")


def _local_delta_jars() -> list[str]:
    """The Delta jars the jobs use, from the Maven build (``./cw`` writes this classpath)."""
    cp = REPO / "app" / "target" / "classpath-runtime.txt"
    if not cp.exists():
        return []
    jars = cp.read_text(encoding="utf-8").strip().split(os.pathsep)
    return [j for j in jars if re.search(r"/(delta-spark|delta-storage)_?[^/]*\.jar$", j)]


def spark_session(warehouse: str, app_name: str = "cw-notebook"):
    """A local SparkSession with Delta Lake and the warehouse catalog registered."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

    builder = (
        SparkSession.builder.appName(app_name)
        .master(os.environ.get("CW_NOTEBOOK_MASTER", "local[2]"))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(Path(warehouse) / "_spark"))
    )
    jars = _local_delta_jars()
    if jars:
        spark = builder.config("spark.jars", ",".join(jars)).getOrCreate()
    else:
        # No local build: let delta-spark fetch its jar from Maven Central (same version as the jobs).
        from delta import configure_spark_with_delta_pip

        spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    register_catalog(spark, warehouse)
    return spark


def register_catalog(spark, warehouse: str) -> list[str]:
    """Registers every Delta table of the warehouse as <layer>.<table>, then the analyst views."""
    names = []
    for layer in LAYERS:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {layer}")
        for log in sorted(glob.glob(os.path.join(warehouse, layer, "*", "_delta_log"))):
            table_dir = os.path.dirname(log)
            name = os.path.basename(table_dir)
            if not re.fullmatch(r"[a-z0-9_]+", name):
                continue
            location = table_dir.replace("'", "\\'")
            spark.sql(f"CREATE TABLE IF NOT EXISTS {layer}.{name} USING delta LOCATION '{location}'")
            names.append(f"{layer}.{name}")
    create_analyst_views(spark)
    return names


def create_analyst_views(spark) -> None:
    """Creates the masked analyst.* views from conf/analyst_views.sql (skipping views whose tables are absent)."""
    sql_file = REPO / "conf" / "analyst_views.sql"
    if not sql_file.exists():
        return
    spark.sql("CREATE DATABASE IF NOT EXISTS analyst")
    key = os.environ.get("CW_PSEUDONYM_KEY", "")
    if not key:
        # Demo default only; a real deployment sets the key in the environment.
        key = "demo-key-not-secret"
    text = sql_file.read_text(encoding="utf-8").replace("${pseudonym_key}", key.replace("'", "''"))
    statements = [s.strip() for s in re.split(r";\s*\n", re.sub(r"--[^\n]*", "", text)) if s.strip()]
    existing = {f"{r.namespace}.{r.tableName}" for layer in LAYERS for r in spark.sql(f"SHOW TABLES IN {layer}").collect()}
    for stmt in statements:
        sources = set(re.findall(r"\b((?:bronze|silver|gold|ops)\.[a-z0-9_]+)", stmt))
        if sources <= existing:
            spark.sql(stmt)


def hms(seconds) -> str:
    """Seconds as h:mm:ss, the form the release-time reports use."""
    if seconds is None:
        return "—"
    s = int(round(float(seconds)))
    sign = "−" if s < 0 else ""
    s = abs(s)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
