"""The DAG file parses in a real Airflow and wires the tasks as docs/operations.md says."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pendulum
import pytest

DAGS = Path(__file__).resolve().parents[1] / "dags"


@pytest.fixture(scope="module")
def dagbag():
    from airflow.models import DagBag
    return DagBag(dag_folder=str(DAGS), include_examples=False)


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}, f"DAG files failed to import: {dagbag.import_errors}"
    assert set(dagbag.dag_ids) == {"customs_warehouse_nightly", "customs_warehouse_backfill"}, dagbag.dag_ids


def test_nightly_tasks_and_order(dagbag):
    dag = dagbag.dags["customs_warehouse_nightly"]
    ids = set(dag.task_ids)
    reports = {t for t in ids if t.startswith("report_")}
    assert {"nightly", "checks"} <= ids, ids
    assert len(reports) == 9, f"3 departments x 3 reports by default: {sorted(reports)}"
    assert dag.get_task("nightly").downstream_task_ids == {"checks"}, "checks run after the load"
    assert dag.get_task("checks").downstream_task_ids == reports, "reports only after the checks"
    for r in reports:
        assert dag.get_task(r).upstream_task_ids == {"checks"}, r
        assert dag.get_task(r).downstream_task_ids == set(), r


def test_nightly_schedule_retries_and_no_catchup(dagbag):
    dag = dagbag.dags["customs_warehouse_nightly"]
    assert dag.catchup is False, "missed nights are loaded by the backfill, not by catch-up"
    assert dag.max_active_runs == 1, "one writer at a time"
    assert str(dag.timezone.name) == "Asia/Ho_Chi_Minh", dag.timezone
    # The next run after a local midnight is at 01:30 local time.
    after = pendulum.datetime(2026, 3, 10, 0, 0, tz="Asia/Ho_Chi_Minh")
    nxt = dag.timetable.next_dagrun_info(last_automated_data_interval=None,
                                         restriction=__import__("airflow.timetables.base", fromlist=["x"])
                                         .TimeRestriction(earliest=after, latest=None, catchup=True))
    local = nxt.run_after.in_timezone("Asia/Ho_Chi_Minh")
    assert (local.hour, local.minute) == (1, 30), f"nightly at 01:30 Asia/Ho_Chi_Minh, got {local}"
    for t in dag.tasks:
        assert t.retries == 2, f"{t.task_id}: retries"
        assert t.retry_delay == timedelta(minutes=20), f"{t.task_id}: retry delay"


def test_commands_load_the_local_day_through_the_launcher(dagbag):
    dag = dagbag.dags["customs_warehouse_nightly"]
    cmd = dag.get_task("nightly").bash_command
    assert "bin/cw-submit" in cmd and "CW_PROFILE=cluster" in cmd, cmd
    assert "nightly --date" in cmd, cmd
    # Render the template for the run of 2020-05-13 01:30 local: the day loaded is the 12th,
    # not the UTC date of the interval start (the 11th).
    from airflow.macros import ds_add  # noqa: F401 - Airflow's template environment is importable
    env = dag.get_template_env()
    start = pendulum.datetime(2020, 5, 12, 1, 30, tz="Asia/Ho_Chi_Minh").in_timezone("UTC")
    rendered = env.from_string(cmd).render(data_interval_start=start, dag=dag)
    assert rendered.endswith("nightly --date '2020-05-12'"), rendered
    report = dag.get_task("report_release_time_20").bash_command
    rendered = env.from_string(report).render(data_interval_start=start, dag=dag)
    assert "--department 20 --period '2020-05'" in rendered, rendered
    assert "'out/reports/20/release-time-2020-05.pdf'" in rendered, rendered


def test_backfill_dag_is_manual_and_runs_one_application(dagbag):
    dag = dagbag.dags["customs_warehouse_backfill"]
    assert dag.schedule_interval is None, "the backfill is triggered by hand"
    assert dag.get_task("backfill").downstream_task_ids == {"checks"}
    cmd = dag.get_task("backfill").bash_command
    assert "backfill --from" in cmd and "params.date_from" in cmd and "params.date_to" in cmd, cmd
