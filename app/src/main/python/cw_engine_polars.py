"""The engine comparison's job (./cw bench --engines ...,polars) on Polars.

The same steps, rules and outputs as EngineJob.java (its Javadoc is the specification): the
declarations' and step events' landing CSV typed to Parquet, one fact row per declaration, and the
exact statistics per year x month (0 = the whole year) x office (ALL) x direction. The parent
(EngineComparison) runs it in the notebooks' environment with POLARS_MAX_THREADS set, times it and
compares its statistics with the other engines' row by row.

usage: cw_engine_polars.py LANDING OUT
"""
import json
import os
import sys
import time

import polars as pl

DECLARATION_COLUMNS = ["declaration_no", "type_code", "office_code", "team_code", "enterprise_tax_code",
                       "enterprise_name", "transport_mode", "channel", "status", "registered_at", "hs_code",
                       "invoice_value_usd", "tax_amount_vnd", "item_count", "updated_at"]
EVENT_COLUMNS = ["event_id", "declaration_no", "milestone", "event_at", "actor", "office_code", "officer_id",
                 "channel", "recorded_at"]
# The landing writes ISO 8601 instants with their offset (+07:00); anything else becomes null, as TRY_CAST does.
ISO = "%Y-%m-%dT%H:%M:%S%:z"
VIETNAM = "Asia/Ho_Chi_Minh"


def ts(c):
    return pl.col(c).str.to_datetime(ISO, strict=False, time_zone="UTC")


def scan_csv(landing, source, columns):
    return pl.scan_csv(os.path.join(landing, source, "*", "*.csv"), has_header=True, quote_char='"',
                       schema={c: pl.String for c in columns}, encoding="utf8")


def part(out, name):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, "part-0.parquet")


def rows(path):
    return pl.scan_parquet(path).select(pl.len()).collect().item()


def load_declarations(landing, out):
    p = part(out, "declarations")
    scan_csv(landing, "declarations", DECLARATION_COLUMNS).select(
        "declaration_no", "type_code", "office_code", "team_code", "enterprise_tax_code", "enterprise_name",
        pl.col("transport_mode").cast(pl.Int32, strict=False), "channel",
        pl.col("status").cast(pl.Int32, strict=False), ts("registered_at").alias("registered_at"), "hs_code",
        pl.col("invoice_value_usd").cast(pl.Decimal(18, 2), strict=False),
        pl.col("tax_amount_vnd").cast(pl.Int64, strict=False), pl.col("item_count").cast(pl.Int32, strict=False),
        ts("updated_at").alias("updated_at"),
    ).sink_parquet(p)
    return rows(p)


def load_events(landing, out):
    p = part(out, "declaration_events")
    scan_csv(landing, "declaration_events", EVENT_COLUMNS).select(
        "event_id", "declaration_no", "milestone", ts("event_at").alias("event_at"), "actor", "office_code",
        "officer_id", "channel", ts("recorded_at").alias("recorded_at"),
    ).sink_parquet(p)
    return rows(p)


def latest(lf, key, order):
    """One row per key: the first by `order` descending, nulls last (ROW_NUMBER() = 1)."""
    return (lf.filter(pl.col(key).is_not_null())
            .sort([key] + order, descending=[False] + [True] * len(order), nulls_last=True)
            .unique(subset=[key], keep="first", maintain_order=True))


def facts(out):
    p = part(out, "facts")
    d = latest(pl.scan_parquet(os.path.join(out, "declarations", "*.parquet")), "declaration_no",
               ["updated_at", "registered_at", "status", "office_code"]) \
        .select("declaration_no", "office_code", "status", "registered_at")
    e = latest(pl.scan_parquet(os.path.join(out, "declaration_events", "*.parquet")), "event_id",
               ["recorded_at", "event_at", "milestone", "declaration_no"])

    def first(m):
        return pl.col("event_at").filter(pl.col("milestone") == m).min()

    steps = e.group_by("declaration_no").agg(
        first("REGISTRATION").alias("registration_at"), first("RELEASE").alias("release_at"),
        first("CLEARANCE").alias("clearance_at"),
        (pl.col("milestone") == "CANCELLATION").any().alias("has_cancellation"))
    j = d.join(steps, on="declaration_no", how="left").select(
        "declaration_no", "office_code",
        pl.when(pl.col("declaration_no").str.starts_with("1")).then(pl.lit("IMPORT"))
          .when(pl.col("declaration_no").str.starts_with("3")).then(pl.lit("EXPORT")).alias("direction"),
        pl.coalesce("registered_at", "registration_at").alias("registered_at"),
        pl.coalesce("release_at", "clearance_at").alias("released_at"),
        (pl.col("status").is_in([1, 2]).fill_null(False) | pl.col("has_cancellation").fill_null(False)).alias("is_cancelled"))
    local = pl.col("registered_at").dt.convert_time_zone(VIETNAM)
    ok = ~pl.col("is_cancelled") & (pl.col("released_at") >= pl.col("registered_at"))
    j.select(
        "declaration_no", "office_code", "direction", local.dt.year().cast(pl.Int32).alias("year"),
        local.dt.month().cast(pl.Int32).alias("month"), "is_cancelled",
        (~pl.col("is_cancelled") & pl.col("released_at").is_not_null() & (pl.col("released_at") >= pl.col("registered_at"))).alias("is_finished"),
        pl.when(ok).then(pl.col("released_at").dt.epoch("s") - pl.col("registered_at").dt.epoch("s")).alias("release_seconds"),
    ).sink_parquet(p)
    return rows(p)


def stats(out):
    p = part(out, "stats")
    f = pl.scan_parquet(os.path.join(out, "facts", "*.parquet"))
    aggs = [pl.len().cast(pl.Int64).alias("declarations"),
            pl.col("is_finished").sum().cast(pl.Int64).alias("finished"),
            pl.col("is_cancelled").sum().cast(pl.Int64).alias("cancelled"),
            pl.col("release_seconds").mean().alias("mean_seconds"),
            pl.col("release_seconds").quantile(0.5, "linear").alias("median_seconds"),
            pl.col("release_seconds").quantile(0.9, "linear").alias("p90_seconds"),
            pl.col("release_seconds").min().alias("min_seconds"), pl.col("release_seconds").max().alias("max_seconds")]
    cols = ["year", "month", "office_code", "direction"]
    # The four grouping sets of the SQL: month 0 = the whole year, office ALL = every office.
    parts = []
    for month, office in ((True, True), (True, False), (False, True), (False, False)):
        keys = ["year"] + (["month"] if month else []) + (["office_code"] if office else []) + ["direction"]
        g = f.group_by(keys).agg(aggs)
        if not month:
            g = g.with_columns(pl.lit(0, pl.Int32).alias("month"))
        if not office:
            g = g.with_columns(pl.lit("ALL").alias("office_code"))
        parts.append(g.select(cols + [a.meta.output_name() for a in aggs]))
    pl.concat(parts).sink_parquet(p)
    return rows(p)


def totals(out):
    f = pl.scan_parquet(os.path.join(out, "facts", "*.parquet"))
    r = f.select(pl.len().alias("declarations"), pl.col("is_finished").sum().alias("finished"),
                 pl.col("is_cancelled").sum().alias("cancelled"),
                 pl.col("release_seconds").sum().alias("release_seconds_sum")).collect().row(0, named=True)
    return {k: (None if v is None else int(v)) for k, v in r.items()}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: cw_engine_polars.py LANDING OUT")
    landing, out = sys.argv[1], sys.argv[2]
    for s in ("declarations", "declaration_events"):
        if not os.path.isdir(os.path.join(landing, s)):
            sys.exit(f"no landing folder {os.path.join(landing, s)}")
    os.makedirs(out, exist_ok=True)
    t0 = time.perf_counter()
    steps = []
    for name, fn in (("load declarations", lambda: load_declarations(landing, out)),
                     ("load declaration_events", lambda: load_events(landing, out)),
                     ("facts", lambda: facts(out)), ("stats", lambda: stats(out))):
        t = time.perf_counter()
        n = fn()
        sec = time.perf_counter() - t
        steps.append({"step": name, "rows_out": n, "seconds": round(sec, 3)})
        print(f"  {name:<26s} {n:>12,d} rows {sec:8.1f} s", flush=True)
    result = {"engine": "polars", "version": f"Polars {pl.__version__} ({pl.thread_pool_size()} threads)",
              "steps": steps, "fact_totals": totals(out), "session_seconds": 0.0,
              "job_seconds": round(time.perf_counter() - t0, 3)}
    with open(os.path.join(out, "result.json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    print(f"polars: job done in {time.perf_counter() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
