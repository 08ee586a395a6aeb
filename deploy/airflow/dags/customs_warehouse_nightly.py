"""customs-warehouse: the nightly load, its checks and the leadership reports, scheduled by Airflow.

Two DAGs:

* ``customs_warehouse_nightly`` -- every night at ``CW_NIGHTLY_SCHEDULE`` (default 01:30
  Asia/Ho_Chi_Minh) loads the day that has just ended (the run's ``data_interval_start``, i.e.
  the local date): ``nightly --date D`` -> data checks -> reports. No catch-up: a missed night is
  loaded by the backfill DAG or ``airflow dags backfill`` (docs/operations.md).
* ``customs_warehouse_backfill`` -- manual only: loads a range of days in ONE Spark application
  (``backfill --from --to``, params ``date_from`` / ``date_to``), then the checks.

Retries are safe: every command is idempotent (MERGE on business keys; a re-run of a date gives the
same tables) and takes the warehouse run lock, so two runs never write at once; a run that died
with the lock held is cleared with ``./cw unlock`` (see docs/operations.md).

Settings (Airflow Variable first, then the environment of the scheduler, then the default):

=========================  =====================================  ==============================
name                       meaning                                default
=========================  =====================================  ==============================
CW_HOME                    checkout of customs-warehouse           /opt/customs-warehouse
CW_LAUNCHER                ``bin/cw-submit`` (Spark cluster) or    bin/cw-submit
                           ``./cw`` (one local JVM)
CW_PROFILE                 conf/profiles/<name>.conf               cluster
CW_NIGHTLY_SCHEDULE        cron expression, in CW_TIMEZONE         30 1 * * *
CW_TIMEZONE                time zone of the schedule               Asia/Ho_Chi_Minh
CW_REPORT_DEPARTMENTS      departments whose PDFs are rendered     20 03 11
CW_REPORTS                 report kinds rendered each night        release-time reform satisfaction
CW_REPORT_DIR              PDF folder (relative to CW_HOME)        out/reports
CW_RETRIES                 retries of each task                    2
CW_RETRY_DELAY_MINUTES     delay before a retry                    20
=========================  =====================================  ==============================
"""
from __future__ import annotations

import os
import shlex
from datetime import datetime, timedelta

import pendulum
from airflow import DAG
from airflow.models import Variable

try:  # Airflow 2.10+ ships the standard provider; older 2.x have the operator in core.
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # pragma: no cover - depends on the installed Airflow
    from airflow.operators.bash import BashOperator


def setting(name: str, default: str) -> str:
    """An Airflow Variable, else the scheduler's environment, else the default.

    Read at parse time; Variable.get hits the metadata DB, so it is guarded: a DAG file must parse
    even when the DB is not reachable (tests, `airflow dags list` on a fresh machine).
    """
    try:
        value = Variable.get(name, default_var=None)
    except Exception:  # noqa: BLE001 - no metadata DB: fall back to the environment
        value = None
    if value is None or value == "":
        value = os.environ.get(name, default)
    return value


CW_HOME = setting("CW_HOME", "/opt/customs-warehouse")
LAUNCHER = setting("CW_LAUNCHER", "bin/cw-submit")
PROFILE = setting("CW_PROFILE", "cluster")
SCHEDULE = setting("CW_NIGHTLY_SCHEDULE", "30 1 * * *")
TIMEZONE = setting("CW_TIMEZONE", "Asia/Ho_Chi_Minh")
DEPARTMENTS = setting("CW_REPORT_DEPARTMENTS", "20 03 11").split()
REPORTS = setting("CW_REPORTS", "release-time reform satisfaction").split()
REPORT_DIR = setting("CW_REPORT_DIR", "out/reports")
RETRIES = int(setting("CW_RETRIES", "2"))
RETRY_DELAY = timedelta(minutes=int(setting("CW_RETRY_DELAY_MINUTES", "20")))

if LAUNCHER not in ("bin/cw-submit", "./cw"):
    raise ValueError(f"CW_LAUNCHER must be 'bin/cw-submit' or './cw', got {LAUNCHER!r}")


def cw(*args: str) -> str:
    """The shell command of one ./cw subcommand, run from CW_HOME with the chosen profile.

    """
    # Jinja renders the whole command before the shell sees it, so quoting a templated argument
    # is fine as long as the template itself holds no quote (the macros below take none).
    quoted = " ".join(shlex.quote(a) for a in args)
    return (f"cd {shlex.quote(CW_HOME)} && CW_PROFILE={shlex.quote(PROFILE)} "
            f"{LAUNCHER} {quoted}")


default_args = {
    "owner": "customs-warehouse",
    "retries": RETRIES,
    "retry_delay": RETRY_DELAY,
    "retry_exponential_backoff": False,
    "depends_on_past": False,
}

# The day to load: the data interval that has just closed, as a LOCAL date. A run at 01:30 on the
# 13th (Asia/Ho_Chi_Minh) has data_interval_start = 01:30 on the 12th = 18:30 UTC on the 11th, so
# {{ ds }} (UTC) would name the wrong day: the macros convert to the DAG's time zone first.
def local_day(dt) -> str:
    return pendulum.instance(dt).in_timezone(TIMEZONE).strftime("%Y-%m-%d")


def local_month(dt) -> str:
    return pendulum.instance(dt).in_timezone(TIMEZONE).strftime("%Y-%m")


MACROS = {"cw_day": local_day, "cw_month": local_month}
DAY = "{{ cw_day(data_interval_start) }}"
PERIOD = "{{ cw_month(data_interval_start) }}"

with DAG(
    dag_id="customs_warehouse_nightly",
    description="Nightly load of the customs warehouse, data checks, leadership reports",
    schedule=SCHEDULE,
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,  # one writer at a time; the run lock would refuse a second one anyway
    default_args=default_args,
    user_defined_macros=MACROS,
    tags=["customs-warehouse"],
) as nightly_dag:
    nightly = BashOperator(
        task_id="nightly",
        bash_command=cw("nightly", "--date", DAY),
        execution_timeout=timedelta(hours=3),
    )
    checks = BashOperator(
        task_id="checks",
        # The nightly run writes ops.check_results; fail the DAG run when a check of this run
        # failed, so the reports are not sent on bad data.
        bash_command=cw(
            "sql", "--csv",
            "SELECT assert_true(count_if(status = 'Failure') = 0, 'data checks failed for " + DAY + "') "
            "FROM ops.check_results WHERE run_id = (SELECT max_by(run_id, started_at) FROM ops.run_log "
            "WHERE command = 'nightly' AND date_from = DATE'" + DAY + "')"),
        execution_timeout=timedelta(minutes=30),
    )
    # One task per department and report: a failed PDF is retried alone.
    reports = [
        BashOperator(
            task_id=f"report_{kind.replace('-', '_')}_{dept}",
            bash_command=cw("report", kind, "--department", dept, "--period", PERIOD, "--lang", "vi",
                            "--out", f"{REPORT_DIR}/{dept}/{kind}-{PERIOD}.pdf"),
            execution_timeout=timedelta(minutes=30),
        )
        for dept in DEPARTMENTS
        for kind in REPORTS
    ]
    nightly >> checks >> reports


with DAG(
    dag_id="customs_warehouse_backfill",
    description="Load a range of days in one Spark application (manual trigger with date_from/date_to)",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params={"date_from": "2020-01-01", "date_to": "2020-01-31"},
    tags=["customs-warehouse"],
) as backfill_dag:
    backfill = BashOperator(
        task_id="backfill",
        bash_command=cw("backfill", "--from", "{{ params.date_from }}", "--to", "{{ params.date_to }}"),
        execution_timeout=timedelta(hours=12),
    )
    backfill_checks = BashOperator(
        task_id="checks",
        bash_command=cw(
            "sql", "--csv",
            "SELECT assert_true(count_if(status = 'Failure') = 0, 'data checks failed') "
            "FROM ops.check_results WHERE run_id = (SELECT max_by(run_id, started_at) FROM ops.run_log "
            "WHERE command = 'backfill')"),
        execution_timeout=timedelta(minutes=30),
    )
    backfill >> backfill_checks
