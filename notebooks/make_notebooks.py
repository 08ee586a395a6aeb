"""Writes the analysts' notebooks (no outputs). Edit the cells here, then run: python make_notebooks.py

Keeping the source of the notebooks in one Python file keeps diffs readable and outputs out of git.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

PARAMS = '''# Parameters (papermill-style "parameters" cell). The environment can override each one.
import os
WAREHOUSE = os.environ.get("CW_WAREHOUSE", os.path.abspath("../warehouse"))
DEPARTMENT = os.environ.get("CW_DEPARTMENT", "20")      # 20 Quảng Ninh, 03 Hải Phòng, 11 Cao Bằng
PERIOD_YEAR = int(os.environ.get("CW_PERIOD_YEAR", "2020"))'''

SETUP = '''import matplotlib.pyplot as plt
import pandas as pd
from pyspark.sql import functions as F
from cw_notebook import spark_session, hms

spark = spark_session(WAREHOUSE)
print("warehouse:", WAREHOUSE)'''


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n").splitlines(keepends=True)}


def code(text, tags=None):
    meta = {"tags": tags} if tags else {}
    return {"cell_type": "code", "metadata": meta, "execution_count": None, "outputs": [],
            "source": text.strip("\n").splitlines(keepends=True)}


def notebook(cells):
    for i, c in enumerate(cells):
        c["id"] = f"cell-{i:02d}"
    return {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3 (customs-warehouse)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}


NOTEBOOKS = {
    "01_getting_started.ipynb": [
        md("""# Getting started with the customs warehouse

The warehouse holds Delta tables in three layers, registered by name in the Spark catalog:

- **bronze** — every landing file as received (strings), with its file, line number and run id;
- **silver** — typed, conformed, one row per business key (the latest source version wins);
- **gold** — report-ready marts: release-time facts and statistics (WCO Time Release Study), monthly
  aggregates for declarations, dossiers, NSW, E-Manifest, C/O, reform tasks, revenue and satisfaction;
- **ops** — the run log, quarantined records and data-check results.

Analysts should use the **`analyst.*` views**: they hash enterprise tax codes and officer ids
(see `docs/privacy.md`). The full contract of every table is in `docs/tables.md`."""),
        code(PARAMS, tags=["parameters"]),
        code(SETUP),
        md("## The catalog\nEvery database and its tables, with row counts."),
        code('''rows = []
for db in ["bronze", "silver", "gold", "ops", "analyst"]:
    for t in spark.sql(f"SHOW TABLES IN {db}").collect():
        name = f"{db}.{t.tableName}"
        # Counting bronze and silver means reading them whole; gold and ops are small.
        rows.append({"table": name, "rows": spark.table(name).count() if db in ("gold", "ops") else None})
catalog = pd.DataFrame(rows)
catalog'''),
        md("""## What the main gold tables mean

| table | one row per |
|---|---|
| `gold.release_time_facts` | declaration: release/clearance times, who spent the time (customs, other agencies, trader, port) |
| `gold.release_time_intervals` | interval between two consecutive milestones of a declaration, with its party |
| `gold.release_time_monthly` | month or year × department/office × direction × channel: count, mean, median, p90 |
| `gold.trs_campaign_summary` | measurement campaign × office × direction (the Time Release Study result) |
| `gold.admin_dossiers_monthly` | department × month: dossiers online / in person / post, counted and as reported |
| `gold.satisfaction_monthly` | ratings per level for officer, team and sub-department |"""),
        code('''spark.table("gold.release_time_facts").printSchema()'''),
        md("## Declarations per month\nA first look: registered declarations per month and direction in the department."),
        code('''monthly = (spark.table("gold.declarations_monthly")
           .where(F.col("department_code") == DEPARTMENT)
           .groupBy("year", "month", "direction").agg(F.sum("declarations").alias("declarations"))
           .orderBy("year", "month").toPandas())
monthly["period"] = monthly["year"].astype(str) + "-" + monthly["month"].astype(str).str.zfill(2)
pivot = monthly.pivot(index="period", columns="direction", values="declarations").fillna(0)
ax = pivot.plot(figsize=(10, 3.5), title=f"Declarations per month, department {DEPARTMENT}")
ax.set_ylabel("declarations")
plt.show()'''),
        md("""## Time travel
Every write is a Delta version. Reports record the versions they read, so a figure can be
reproduced later with `VERSION AS OF`. Here: the history of one table and a read of its first version."""),
        code('''history = spark.sql("DESCRIBE HISTORY gold.release_time_facts").select("version", "timestamp", "operation").toPandas()
history.head(10)'''),
        code('''first = int(history["version"].min())
now = spark.table("gold.release_time_facts").count()
then = spark.sql(f"SELECT count(*) AS n FROM gold.release_time_facts VERSION AS OF {first}").first()["n"]
print(f"rows now: {now:,}; rows at version {first}: {then:,}")'''),
        md("## The last runs\nThe run log says what each run loaded, quarantined and which Delta version it wrote."),
        code('''spark.table("ops.run_log").orderBy(F.col("started_at").desc()).limit(15).toPandas()'''),
    ],
    "02_release_time.ipynb": [
        md("""# Release-time exploration

Where does clearance time go, and where is it slow? Release time is measured from the official
registration of a declaration to the release of its goods (WCO Time Release Study method). The
**customs' own share** is the part of that time spent in intervals that end with a customs action."""),
        code(PARAMS, tags=["parameters"]),
        code(SETUP),
        md("""A declaration released before it was registered (a late or mis-dated step) has no release time:
the warehouse counts it (`release_before_registration`) and leaves it out of every figure (docs/tables.md).
So does this notebook."""),
        code('''released = (spark.table("analyst.release_time_facts")
            .where((F.col("department_code") == DEPARTMENT) & (F.col("registration_year") == PERIOD_YEAR)
                   & ~F.col("is_cancelled") & F.col("release_seconds").isNotNull()))
facts = released.where(F.col("release_seconds") >= 0)
n, left_out = facts.count(), released.where(F.col("release_seconds") < 0).count()
print(f"{n:,} released declarations in {PERIOD_YEAR}; {left_out:,} released before registered, left out")'''),
        md("## Distribution of release times\nA log scale: most shipments take hours, a long tail takes days."),
        code('''pdf = facts.select("direction", (F.col("release_seconds") / 3600).alias("hours")).toPandas()
fig, ax = plt.subplots(figsize=(10, 3.5))
for direction, g in pdf.groupby("direction"):
    ax.hist(g["hours"].clip(lower=0.01), bins=[0.01 * 1.25 ** i for i in range(60)], alpha=0.6, label=direction)
ax.set_xscale("log"); ax.set_xlabel("hours from registration to release"); ax.set_ylabel("declarations"); ax.legend()
plt.show()'''),
        md("## Per sub-department and channel"),
        code('''by_office = (facts.groupBy("office_code", "direction", "final_channel")
             .agg(F.count("*").alias("declarations"), F.avg("release_seconds").alias("mean_s"),
                  F.expr("percentile(release_seconds, 0.5)").alias("median_s"))
             .orderBy("direction", "office_code", "final_channel").toPandas())
by_office["mean"] = by_office["mean_s"].map(hms)
by_office["median"] = by_office["median_s"].map(hms)
by_office[["office_code", "direction", "final_channel", "declarations", "mean", "median"]]'''),
        code('''means = by_office.groupby(["office_code", "direction"]).apply(
    lambda g: (g["mean_s"] * g["declarations"]).sum() / g["declarations"].sum() / 3600).unstack()
ax = means.plot.bar(figsize=(10, 3.5), title="Mean release time (hours) per sub-department")
ax.axhline(10, color="red", ls="--", lw=1, label="import target 10 h")
ax.axhline(3, color="orange", ls="--", lw=1, label="export target 3 h")
ax.legend(); plt.show()'''),
        md("## Which steps take the time\nEach interval between consecutive milestones belongs to one party."),
        code('''steps = (spark.table("analyst.release_time_intervals")
         .where((F.col("department_code") == DEPARTMENT) & (F.col("registration_year") == PERIOD_YEAR))
         .groupBy("direction", "party").agg(F.sum("seconds").alias("seconds")).toPandas())
share = steps.pivot(index="direction", columns="party", values="seconds").fillna(0)
share = share.div(share.sum(axis=1), axis=0)
ax = share.plot.barh(stacked=True, figsize=(10, 2.5), title="Share of time by party")
ax.set_xlabel("share of release time"); plt.show()
share.round(3)'''),
        md("## Year on year\nMonthly mean release time, this year against the previous one (from `gold.release_time_monthly`)."),
        code('''m = (spark.table("gold.release_time_monthly")
     .where((F.col("period_type") == "MONTH") & (F.col("department_code") == DEPARTMENT)
            & (F.col("office_code") == "ALL") & (F.col("channel") == "ALL")
            & F.col("year").isin(PERIOD_YEAR - 1, PERIOD_YEAR))
     .select("year", "month", "direction", (F.col("mean_seconds") / 3600).alias("mean_hours")).toPandas())
fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
for ax, (direction, g) in zip(axes, m.groupby("direction")):
    g.pivot(index="month", columns="year", values="mean_hours").plot(ax=ax, marker="o", title=direction)
    ax.set_ylabel("mean hours")
plt.tight_layout(); plt.show()'''),
    ],
    "03_reform_and_dossiers.ipynb": [
        md("""# Reform and dossier trends

Administrative-procedure dossiers received online versus in person or by post, the reform plan's
progress, and the year-on-year movement of NSW, E-Manifest and electronic C/O.
**Reconciliation:** where the department's own report does not add up, the mart says so
(`is_reported_consistent`, `reconciliation_note`); the notebook shows it, it does not hide it."""),
        code(PARAMS, tags=["parameters"]),
        code(SETUP),
        code('''d = (spark.table("gold.admin_dossiers_monthly").where(F.col("department_code") == DEPARTMENT)
     .orderBy("year", "month").toPandas())
d["period"] = d["year"].astype(str) + "-" + d["month"].astype(str).str.zfill(2)
d["online_share"] = d["counted_online"] / d["counted_total"]
ax = d.plot(x="period", y="online_share", figsize=(10, 3), title="Share of dossiers received online", legend=False)
ax.set_ylim(0, 1); plt.show()'''),
        code('''d.loc[~d["is_reported_consistent"].fillna(True).astype(bool), ["period", "reported_total", "reported_online",
     "reported_in_person_or_post", "reconciliation_note"]]'''),
        md("## Reform plan progress"),
        code('''t = (spark.table("gold.reform_tasks").where(F.col("department_code") == DEPARTMENT)
     .groupBy("plan_year").agg(F.count("*").alias("tasks"), F.sum(F.col("is_completed").cast("int")).alias("completed"))
     .orderBy("plan_year").toPandas())
t["completed_share"] = t["completed"] / t["tasks"]
t'''),
        md("## NSW, E-Manifest and C/O year on year"),
        code('''def yearly(table, value, extra=None):
    df = spark.table(table).where(F.col("department_code") == DEPARTMENT)
    if extra is not None:
        df = df.where(extra)
    return df.groupBy("year").agg(F.sum(value).alias(value)).orderBy("year").toPandas().set_index("year")[value]

yoy = pd.DataFrame({
    "NSW declarations with result": yearly("gold.nsw_monthly", "declarations_with_result"),
    "E-Manifest movements": yearly("gold.emanifest_monthly", "movements"),
    "Electronic C/O form D": yearly("gold.co_monthly", "certificates", (F.col("form") == "D") & F.col("is_electronic")),
})
ax = yoy.plot.bar(figsize=(10, 3.5), title="Year on year"); plt.show()
yoy'''),
    ],
    "04_satisfaction.ipynb": [
        md("""# Business satisfaction drill-down

Since 1 April 2020 businesses rate, per declaration, the officer, the team and the sub-department on
five levels (Rất hài lòng … Rất không hài lòng). Every neutral or negative rating must be verified and
answered: the follow-up list at the end is the working list."""),
        code(PARAMS, tags=["parameters"]),
        code(SETUP),
        code('''LEVELS = {5: "Rất hài lòng", 4: "Hài lòng", 3: "Bình thường", 2: "Không hài lòng", 1: "Rất không hài lòng"}
s = (spark.table("gold.satisfaction_monthly")
     .where((F.col("department_code") == DEPARTMENT) & (F.col("year") == PERIOD_YEAR))
     .groupBy("subject", "level").agg(F.sum("ratings").alias("ratings")).toPandas())
dist = s.pivot(index="level", columns="subject", values="ratings").fillna(0).sort_index(ascending=False)
dist.index = [LEVELS[i] for i in dist.index]
ax = dist.plot.bar(figsize=(10, 3.5), title=f"Ratings by level, {PERIOD_YEAR}"); plt.show()
dist'''),
        md("## Satisfied share per sub-department\nSatisfied = level 4 or 5, for the sub-department subject."),
        code('''o = (spark.table("gold.satisfaction_monthly")
     .where((F.col("department_code") == DEPARTMENT) & (F.col("year") == PERIOD_YEAR) & (F.col("subject") == "OFFICE"))
     .groupBy("office_code").agg(F.sum("ratings").alias("ratings"),
                                 F.sum(F.when(F.col("level") >= 4, F.col("ratings")).otherwise(0)).alias("satisfied"))
     .orderBy("office_code").toPandas())
o["satisfied_share"] = o["satisfied"] / o["ratings"]
o'''),
        md("## Follow-up list\nEvery neutral or negative rating (officer ids are pseudonymised in the analyst view)."),
        code('''f = (spark.table("analyst.satisfaction_followup")
     .where((F.col("department_code") == DEPARTMENT) & (F.year("rated_at") == PERIOD_YEAR))
     .orderBy("worst_level", "rated_at").toPandas())
print(f"{len(f):,} ratings to follow up")
f.head(20)'''),
    ],
}

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        (HERE / name).write_text(json.dumps(notebook(cells), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", name)
