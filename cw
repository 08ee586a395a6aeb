#!/usr/bin/env bash
# ./cw — the one launcher of customs-warehouse. Builds the project when its sources changed, then
# runs a subcommand on the local JVM (Spark in-process) with the settings Spark needs on Java 17.
#   ./cw --help            list the subcommands
#   ./cw test              run every test (what CI runs)
#   ./cw setup             install the system tools the tests need (poppler-utils)
#   CW_PROFILE=cluster     choose conf/profiles/cluster.conf (or --profile)
#   CW_DRIVER_MEMORY=6g    heap of the local JVM (default 4g)
#   CW_DEBUG=1             print stack traces
#   CW_SERVE=off           run nightly/backfill/trs/report/maintain here even while ./cw serve runs
#   CW_SERVE_SOCKET=PATH   the server's socket (default work/cw.sock)
set -euo pipefail
CW_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CW_HOME
cd "$CW_HOME"

die() { echo "cw: $*" >&2; exit 2; }
command -v java >/dev/null || die "java not found: install a Java 17 JDK (apt-get install openjdk-17-jdk-headless)"
jv=$(java -version 2>&1 | awk -F\" '/version/{print $2}' | cut -d. -f1)
[ "${jv:-0}" -ge 17 ] || die "Java 17 or newer is needed, found ${jv:-none}"

# Tools the tests and reports use beyond Java and Maven: poppler-utils (pdftotext/pdffonts check
# the PDFs). Installed with apt-get when missing and we are root; otherwise a clear message.
ensure_system_tools() {
  local missing=()
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v mvn >/dev/null || missing+=(maven)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "cw: installing ${missing[*]} ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2 \
      || die "could not install ${missing[*]}"
  else
    die "missing ${missing[*]}: install them (e.g. sudo apt-get install ${missing[*]})"
  fi
}

NB_VENV="$CW_HOME/notebooks/.venv"
notebooks_setup() {
  if [ ! -x "$NB_VENV/bin/python" ] || ! cmp -s notebooks/requirements.txt "$NB_VENV/requirements.installed"; then
    echo "cw: creating the notebook environment in notebooks/.venv (pinned notebooks/requirements.txt) ..." >&2
    python3 -m venv "$NB_VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
    "$NB_VENV/bin/pip" install -q --upgrade pip >&2
    "$NB_VENV/bin/pip" install -q -r notebooks/requirements.txt >&2 || die "pip install of notebooks/requirements.txt failed"
    "$NB_VENV/bin/python" -m ipykernel install --prefix "$NB_VENV" --name python3 >/dev/null
    cp notebooks/requirements.txt "$NB_VENV/requirements.installed"
  fi
}

case "${1:-}" in
  notebooks)
    # ./cw notebooks setup | open [WAREHOUSE] | run [WAREHOUSE]
    sub="${2:-}"; wh="${3:-$CW_HOME/warehouse}"
    case "$sub" in
      setup) notebooks_setup; echo "notebook environment ready: $NB_VENV" ;;
      open)  notebooks_setup; export CW_WAREHOUSE="$(cd "$wh" && pwd)"
             exec "$NB_VENV/bin/jupyter" lab --notebook-dir="$CW_HOME/notebooks" --ip=127.0.0.1 --no-browser ;;
      run)   notebooks_setup; exec "$NB_VENV/bin/python" notebooks/run_notebooks.py "$wh" ;;
      *) die "usage: ./cw notebooks setup | open [WAREHOUSE] | run [WAREHOUSE]" ;;
    esac
    exit 0 ;;
  setup)
    ensure_system_tools; exit 0 ;;
  test)
    # The whole test suite: every module's JUnit tests (Spark, Delta, the PDFs), then the demo at
    # small scale with the notebooks on its warehouse, the Airflow DAGs, a real standalone
    # cluster run compared with a local one, the JDBC server queried over JDBC, and a tiny bench night. CW_TEST_ONLY=junit runs the JUnit part alone.
    # Each part prints its wall time, and a table of them closes the run: CI logs show where the time goes.
    shift; t_all=$(date +%s); timings=()
    part() { # name command...
      local t=$(date +%s) rc=0
      "${@:2}" || rc=$?
      timings+=("$(printf '%-16s %5d s%s' "$1" $(( $(date +%s) - t )) "$([ $rc -eq 0 ] || echo "  FAILED (exit $rc)")")")
      echo "cw test: $1 took $(( $(date +%s) - t )) s" >&2
      return $rc
    }
    report() { echo "cw test: wall time per part" >&2; printf '  %s\n' "${timings[@]}" "$(printf '%-16s %5d s' total $(( $(date +%s) - t_all )))" >&2; }
    # Scratch the parts share (the Python part's log, the demo warehouse the JDBC test serves again),
    # removed by the exit trap.
    shared="$(mktemp -d "${TMPDIR:-/tmp}/cw-test.XXXXXX")"
    py_pid=""   # the background Python part's pid while it runs; the exit trap stops it if JUnit fails
    trap '[ -z "$py_pid" ] || pkill -P "$py_pid" 2>/dev/null; rm -rf "$shared"; report' EXIT
    part system-tools ensure_system_tools
    # The three Python environments (notebooks, the Spark home of the cluster and JDBC tests, Airflow)
    # install from PyPI, and the Airflow DAG tests need nothing else: all of it runs beside the JUnit
    # tests, which leave the network idle, instead of after them (about 5 minutes on a fresh machine).
    if [ "${CW_TEST_ONLY:-}" != junit ]; then
      ( set -e; t=$(date +%s); notebooks_setup; bin/cw-spark-home >/dev/null; deploy/airflow/run-tests
        echo "python environments and Airflow DAG tests: $(( $(date +%s) - t )) s beside the JUnit tests" ) >"$shared/python.log" 2>&1 &
      py_pid=$!
    fi
    part junit mvn -B verify "$@"
    [ "${CW_TEST_ONLY:-}" = junit ] && exit 0
    python_part() { local rc=0; wait "$py_pid" || rc=$?; py_pid=; cat "$shared/python.log"; return $rc; }
    part airflow+venvs python_part
    # The demo's warehouse is served again by the JDBC test (one backfill fewer).
    part demo-smoke env CW_DEMO_WAREHOUSE_OUT="$shared/demo-warehouse" .ci/demo-smoke
    part cluster-test .ci/cluster-test
    part sql-server-test .ci/sql-server-test "$shared/demo-warehouse"
    # bench --night at a tiny size on a copy of the demo's warehouse (the year bench is JUnit's).
    part bench-smoke .ci/bench-smoke "$shared/demo-warehouse"
    exit 0 ;;
esac

stamp=app/target/classpath-runtime.txt
needs_build() {
  [ -f "$stamp" ] || return 0
  [ -f app/target/classpath-provided.txt ] || return 0
  [ -n "$(find pom.xml etl reports app -newer "$stamp" \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ]
}
if needs_build; then
  command -v mvn >/dev/null || die "mvn not found: install Maven 3.8+ (apt-get install maven)"
  echo "cw: building (mvn package -DskipTests) ..." >&2
  mvn -B -q -DskipTests package >&2 || die "build failed; run 'mvn -B -DskipTests package' to see why"
  touch "$stamp"
fi

CP="etl/target/classes:reports/target/classes:app/target/classes:$(cat app/target/classpath-runtime.txt):$(cat app/target/classpath-provided.txt)"

# sql-server: the Spark Thrift server is not on Maven Central for our Spark version; its jar and the
# HiveServer2 RPC jar (the rest of Hive is already on Maven's classpath) come from the Spark home of
# bin/cw-spark-home (the pinned pyspark), exactly at the pom's Spark version.
cw_subcommand() { local skip=0 a; for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in --set|--profile) skip=1 ;; -*) ;; *) echo "$a"; return ;; esac; done; }
# A running `./cw serve` (docs/operations.md) takes the commands that open the warehouse's session:
# they then skip the JVM start and the JIT warm-up. CW_SERVE=off runs them here; so does a stale socket.
case "$(cw_subcommand "$@")" in
  nightly|backfill|trs|report|maintain)
    sock="${CW_SERVE_SOCKET:-$CW_HOME/work/cw.sock}"
    if [ "${CW_SERVE:-auto}" != off ] && [ -S "$sock" ]; then
      rc=0; java -Dfile.encoding=UTF-8 -cp app/target/classes vn.customs.cw.cli.ServeClient "$sock" "$@" || rc=$?
      [ "$rc" = 75 ] || exit "$rc"
    fi ;;
esac
if [ "$(cw_subcommand "$@")" = sql-server ]; then
  sv=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' pom.xml | head -1)
  sh=$(bin/cw-spark-home) || die "sql-server needs the Spark Thrift server jars: bin/cw-spark-home failed"
  for j in "spark-hive-thriftserver_2.12-$sv.jar" hive-service-rpc-3.1.3.jar; do
    [ -f "$sh/jars/$j" ] || die "sql-server: $sh/jars/$j not found (the Spark home must be Spark $sv)"
    CP="$CP:$sh/jars/$j"
  done
fi
OPENS="-XX:+IgnoreUnrecognizedVMOptions"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
OPENS="$OPENS --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# JDK 17's code sweeper evicts compiled methods that were not called for a while (29,249 in a
# national night), and a run of Spark stages comes back to the same code after each pause. Keeping
# them: 352 -> 316 s.
# With flushing off a full code cache would stop the JIT, hence the larger cache (docs/performance.md).
# The parallel collector, not G1: a batch job wants throughput, not short pauses, and on 2 cores G1's
# concurrent cycles (136 a night, started by Spark's large buffers) and write barriers cost more than
# its pauses save. The 2021-01-02 night: 293-335 s with G1, 259 and 264 s with it (item 23).
JIT="-XX:ReservedCodeCacheSize=512m -XX:-UseCodeCacheFlushing"
GC="-XX:+UseParallelGC"
[[ " ${CW_JAVA_OPTS:-} " =~ \ -XX:\+Use[A-Za-z0-9]+GC\  ]] && GC="" # CW_JAVA_OPTS may choose another collector
exec java -Xmx"${CW_DRIVER_MEMORY:-4g}" $JIT $GC $OPENS -Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8 \
  -Duser.timezone=Asia/Ho_Chi_Minh -Dlog4j2.configurationFile="$CW_HOME/conf/log4j2.properties" \
  ${CW_JAVA_OPTS:-} -cp "$CP" vn.customs.cw.cli.Cw "$@"
