package vn.customs.cw.pipeline;

import org.apache.spark.sql.Row;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.ops.RunLog;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.quality.DataChecks;
import vn.customs.cw.spark.Layer;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a command's stages in order in one SparkSession: reference data, every landing source
 * (bronze → quarantine → silver), the milestones pivot, then the caller's stages (gold marts,
 * reports). A failing stage is logged and the others go on; the run log and data-check results
 * are written once at the end, a summary is printed and the tables are registered in the catalog.
 */
public final class Pipeline {
    private Pipeline() {}

    /** How a run ended. {@link #exitCode()} is what the command returns. */
    public record Result(String runId, List<RunLog.Entry> entries, List<DataChecks.Result> checks,
                         Set<Integer> affectedYears, int shufflePartitions) {
        public Result(String runId, List<RunLog.Entry> entries, List<DataChecks.Result> checks, Set<Integer> affectedYears) {
            this(runId, entries, checks, affectedYears, 0);
        }

        /** The run with the largest batch's fitted shuffle partitions (0: not fitted). */
        Result withShufflePartitions(int n) {
            return new Result(runId, entries, checks, affectedYears, n);
        }

        public boolean failed() {
            return entries.stream().anyMatch(e -> e.status().equals(RunLog.FAILED));
        }

        /** One line: the first failure and how many there were, or null on success. */
        public String reason() {
            List<RunLog.Entry> f = entries.stream().filter(e -> e.status().equals(RunLog.FAILED)).toList();
            if (f.isEmpty()) return null;
            RunLog.Entry e = f.get(0);
            return f.size() + " failed step(s); first: " + e.stage() + (e.table() == null ? "" : " " + e.table()) + ": " + e.error();
        }

        public int exitCode() {
            return failed() ? 1 : 0;
        }
    }

    public static String newRunId(String command) {
        return command + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * {@code n} daemon threads named {@code name} for stages that share the session side by side
     * (a daemon thread never keeps the JVM up after the command has returned its exit code).
     */
    public static java.util.concurrent.ExecutorService threads(int n, String name) {
        return java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The ETL core for one batch of landing days (reference tables only with {@code withReference}). */
    public static List<Stage> coreStages(boolean withReference) {
        List<Stage> s = new ArrayList<>();
        if (withReference) s.add(new ReferenceStage());
        for (Source src : Source.values()) s.add(new SourceStage(src));
        s.add(new MilestonesStage());
        return s;
    }

    /**
     * The nightly/backfill run: the core stages over ctx.from()..ctx.to() in batches of
     * {@code cw.etl.batch-days} days (one Spark job per source and batch), then {@code extraStages}
     * once over the whole range with the affected years of every batch.
     */
    public static Result run(RunContext ctx, List<Stage> extraStages) {
        return run(ctx, extraStages, System.out);
    }

    public static Result run(RunContext ctx, List<Stage> extraStages, PrintStream out) {
        int batchDays = ctx.config().raw().hasPath("cw.etl.batch-days") ? ctx.config().raw().getInt("cw.etl.batch-days") : 31;
        if (batchDays < 1) throw new IllegalArgumentException("cw.etl.batch-days must be >= 1, got " + batchDays);
        if (ctx.to().isBefore(ctx.from())) throw new IllegalArgumentException("--to " + ctx.to() + " is before --from " + ctx.from());
        int parallel = parallelSources(ctx);
        Runner r = new Runner(ctx, parallel);
        ShufflePartitions shuffle = ShufflePartitions.of(ctx);
        java.util.concurrent.ExecutorService pool = parallel > 1 ? threads(parallel, "cw-source") : null;
        try {
            return runBatches(ctx, extraStages, out, batchDays, r, shuffle, pool);
        } finally {
            if (pool != null) pool.shutdownNow();
            shuffle.restore(ctx);
        }
    }

    private static Result runBatches(RunContext ctx, List<Stage> extraStages, PrintStream out, int batchDays, Runner r,
                                     ShufflePartitions shuffle, java.util.concurrent.ExecutorService pool) {
        boolean first = true;
        for (LocalDate b = ctx.from(); !b.isAfter(ctx.to()); b = b.plusDays(batchDays)) {
            LocalDate e = b.plusDays(batchDays - 1);
            if (e.isAfter(ctx.to())) e = ctx.to();
            RunContext bc = new RunContext(ctx.spark(), ctx.config(), ctx.warehouse(), ctx.runId(), ctx.command(), b, e, r.years);
            shuffle.fit(bc);
            List<Stage> stages = coreStages(first);
            if (pool == null) {
                for (Stage s : stages) r.runStage(bc, s, false);
            } else {
                r.runSourcesInParallel(bc, stages, pool);
            }
            first = false;
        }
        // The gold stages read what every batch loaded: the largest batch's setting.
        shuffle.fitLargest(ctx);
        if (shuffle.largest() > 0) out.printf("shuffle partitions: %d (fitted to the landing volume, cw.etl.shuffle-partitions)%n", shuffle.largest());
        // Checked once after the last batch: a backfill does not scan silver once per batch.
        r.checkPending();
        for (Stage s : extraStages) r.runChecked(r.ctx(), s);
        return r.finish(out).withShufflePartitions(shuffle.largest());
    }

    /**
     * {@code spark.sql.shuffle.partitions} fitted to the landing volume ({@code cw.etl.shuffle-partitions}):
     * {@code auto} sets, per batch, one partition per {@code cw.etl.shuffle-partition-bytes} of the
     * batch's landing CSV (default 128 MB), never fewer than the session's value. With a
     * fixed 8 the year of 5 M declarations sorted 700 MB per task and spilled 59 GB; AQE coalesces the
     * small partitions of a night anyway. An integer fixes the value; {@code off} leaves the session's.
     * The session's value is the floor, and it is set back when the run ends.
     */
    public static final class ShufflePartitions {
        private final String mode;
        private final int floor;
        private final long bytesPerPartition;
        private int largest;

        private final String sessionValue;

        private ShufflePartitions(String mode, int floor, long bytesPerPartition, String sessionValue) {
            this.mode = mode;
            this.floor = floor;
            this.bytesPerPartition = bytesPerPartition;
            this.sessionValue = sessionValue;
        }

        /** The run's setting does not outlive it: the session gets its own value back. */
        void restore(RunContext ctx) {
            if (!mode.equals("off")) ctx.spark().conf().set("spark.sql.shuffle.partitions", sessionValue);
        }

        /** The largest value a batch used (0 when off). */
        public int largest() {
            return largest;
        }

        public static ShufflePartitions of(RunContext ctx) {
            return of(ctx.config(), ctx.spark());
        }

        /** The cw.etl.shuffle-partitions rule of {@code cfg}, its floor the session's current value. */
        public static ShufflePartitions of(vn.customs.cw.config.CwConfig cfg, org.apache.spark.sql.SparkSession spark) {
            var raw = cfg.raw();
            String mode = raw.hasPath("cw.etl.shuffle-partitions") ? raw.getString("cw.etl.shuffle-partitions").trim() : "off";
            if (!mode.equals("auto") && !mode.equals("off") && !mode.matches("[1-9][0-9]*")) {
                throw new IllegalArgumentException("cw.etl.shuffle-partitions must be 'auto', 'off' or a positive integer, got '" + mode + "'");
            }
            long bytes = raw.hasPath("cw.etl.shuffle-partition-bytes") ? raw.getBytes("cw.etl.shuffle-partition-bytes") : 128L << 20;
            if (bytes < 1) throw new IllegalArgumentException("cw.etl.shuffle-partition-bytes must be positive, got " + bytes);
            String session = spark.conf().get("spark.sql.shuffle.partitions", "200");
            return new ShufflePartitions(mode, Integer.parseInt(session), bytes, session);
        }

        /** Partitions for {@code bytes} of landing data: ceil(bytes / per partition), at least {@code floor}, at most 10,000. */
        public static int fitted(long bytes, long bytesPerPartition, int floor) {
            long n = (bytes + bytesPerPartition - 1) / bytesPerPartition;
            return (int) Math.max(floor, Math.min(10_000, n));
        }

        /** Partitions for {@code landingBytes} of landing data by this rule; 0 when it is off. */
        public int partitions(long landingBytes) {
            if (mode.equals("off")) return 0;
            return mode.equals("auto") ? fitted(landingBytes, bytesPerPartition, floor) : Integer.parseInt(mode);
        }

        void fit(RunContext batch) {
            if (mode.equals("off")) return;
            int n = partitions(landingBytes(batch));
            largest = Math.max(largest, n);
            set(batch, n);
        }

        void fitLargest(RunContext ctx) {
            if (largest > 0) set(ctx, largest);
        }

        private static void set(RunContext ctx, int n) {
            ctx.spark().conf().set("spark.sql.shuffle.partitions", Integer.toString(n));
        }

        /** Bytes of every source's landing files of the batch's days (the files its sources load). */
        public static long landingBytes(RunContext ctx) {
            long total = 0;
            for (Source s : Source.values()) {
                var found = SourceStage.landingListing(ctx, s);
                if (found == null) continue;
                for (LocalDate d = ctx.from(); !d.isAfter(ctx.to()); d = d.plusDays(1)) {
                    var f = found.get(s.landingFile(d));
                    if (f != null) total += f.getLen();
                }
            }
            return total;
        }
    }

    /** {@code cw.etl.parallel-sources}: threads for the sources of a batch and for the data checks (default 1). */
    static int parallelSources(RunContext ctx) {
        int parallel = ctx.config().raw().hasPath("cw.etl.parallel-sources") ? ctx.config().raw().getInt("cw.etl.parallel-sources") : 1;
        if (parallel < 1) throw new IllegalArgumentException("cw.etl.parallel-sources must be >= 1, got " + parallel);
        return parallel;
    }

    /** Runs the given stages only (maintenance, tests, a gold-only re-run), with the same logging. */
    public static Result runStages(RunContext ctx, List<Stage> stages, PrintStream out) {
        Runner r = new Runner(ctx, parallelSources(ctx));
        for (Stage s : stages) r.runChecked(r.ctx(), s);
        return r.finish(out);
    }

    private static final class Runner {
        final RunContext base;
        final Set<Integer> years = new LinkedHashSet<>();
        final List<RunLog.Entry> entries = new ArrayList<>();
        final List<DataChecks.Result> checkResults = new ArrayList<>();
        final List<Row> checkRows = new ArrayList<>();
        /** Tables written by core stages, checked after the last batch → their last write and its log entry. */
        final Map<String, Map.Entry<TableWrite, Integer>> pending = new LinkedHashMap<>();
        final DataChecks checks;
        /** cw.checks.scope = table: every check over the whole table (slow on years of history). */
        final boolean fullChecks;
        /** Threads for the checks of the core stages' tables (cw.etl.parallel-sources). */
        final int parallel;

        Runner(RunContext ctx, int parallel) {
            this.base = ctx;
            this.parallel = parallel;
            this.years.addAll(ctx.affectedYears() == null ? Set.of() : ctx.affectedYears());
            this.checks = DataChecks.load(ctx.config().home().resolve("conf/checks"));
            var raw = ctx.config().raw();
            String scope = raw.hasPath("cw.checks.scope") ? raw.getString("cw.checks.scope") : "written";
            if (!scope.equals("written") && !scope.equals("table")) {
                throw new IllegalArgumentException("cw.checks.scope must be 'written' or 'table', got '" + scope + "'");
            }
            this.fullChecks = scope.equals("table");
            // Bad timestamps must become nulls (then BAD_VALUE), never an upgrade exception.
            ctx.spark().conf().set("spark.sql.legacy.timeParserPolicy", "CORRECTED");
        }

        RunContext ctx() {
            return base.withAffectedYears(years);
        }

        /** What one stage did, kept until it is recorded (in stage order, whatever order they ended in). */
        record Outcome(Stage stage, List<TableWrite> writes, Throwable failure, Instant start, Instant end) {}

        /** Runs the stage on the calling thread; never throws. */
        Outcome execute(RunContext ctx, Stage stage) {
            Instant start = Instant.now();
            ctx.spark().sparkContext().setJobGroup(ctx.runId(), stage.name(), false);
            try {
                return new Outcome(stage, stage.run(ctx), null, start, Instant.now());
            } catch (Exception | Error e) {
                // Exception, not RuntimeException: Scala code (Spark, Delta) throws checked
                // exceptions such as IOException undeclared, and one stage must not end the run.
                return new Outcome(stage, null, e, start, Instant.now());
            } finally {
                ctx.spark().sparkContext().clearJobGroup();
            }
        }

        /**
         * Reference data first, then the landing sources on {@code pool}'s threads in one
         * SparkSession (they write different tables; Spark overlaps one source's driver work — plans,
         * Delta commits, file listings — with another's tasks), then the stages that read them.
         */
        void runSourcesInParallel(RunContext ctx, List<Stage> stages, java.util.concurrent.ExecutorService pool) {
            List<Stage> sources = stages.stream().filter(s -> s instanceof SourceStage).toList();
            int i = 0;
            while (i < stages.size() && !(stages.get(i) instanceof SourceStage)) runStage(ctx, stages.get(i++), false);
            // The large sources share one lane, one after the other: two of them caching and sorting
            // at once ran a 4 GB heap out of memory at 1 M declarations. The small ones (a few
            // thousand rows, mostly fixed cost) fill the other threads.
            List<Stage> large = sources.stream().filter(s -> ((SourceStage) s).source().isLarge()).toList();
            List<java.util.concurrent.Future<List<Outcome>>> futures = new ArrayList<>();
            if (!large.isEmpty()) futures.add(pool.submit(() -> large.stream().map(s -> execute(ctx, s)).toList()));
            for (Stage s : sources) {
                if (!large.contains(s)) futures.add(pool.submit(() -> List.of(execute(ctx, s))));
            }
            for (var f : futures) {
                try {
                    for (Outcome o : f.get()) record(ctx, o, false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the sources ran", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a source stage could not be run", e.getCause());
                }
            }
            for (int k = i + sources.size(); k < stages.size(); k++) runStage(ctx, stages.get(k), false);
        }

        void runStage(RunContext ctx, Stage stage, boolean checkNow) {
            record(ctx, execute(ctx, stage), checkNow);
        }

        /**
         * A stage after the ETL core, its tables checked at once; the members of a {@link SideBySide}
         * each on a thread of their own when {@link SideBySide#enabled}, logged and checked in their
         * order once all have ended (no member may still be committing while the log says it is over).
         */
        void runChecked(RunContext ctx, Stage stage) {
            if (!(stage instanceof SideBySide group)) {
                runStage(ctx, stage, true);
                return;
            }
            if (group.stages().size() == 1 || !SideBySide.enabled(ctx)) {
                for (Stage s : group.stages()) runStage(ctx, s, true);
                return;
            }
            java.util.concurrent.ExecutorService pool = threads(group.stages().size(), "cw-gold");
            try {
                List<java.util.concurrent.Future<Outcome>> futures = new ArrayList<>();
                for (Stage s : group.stages()) futures.add(pool.submit(() -> execute(ctx, s)));
                List<Outcome> outcomes = new ArrayList<>();
                for (var f : futures) {
                    try {
                        outcomes.add(f.get());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while " + group.name() + " ran", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("stage " + group.name() + " could not be run", e.getCause());
                    }
                }
                for (Outcome o : outcomes) record(ctx, o, false);
                checkPending();
            } finally {
                pool.shutdownNow();
            }
        }

        void record(RunContext ctx, Outcome o, boolean checkNow) {
            Stage stage = o.stage();
            Instant start = o.start();
            if (o.failure() != null) {
                entries.add(new RunLog.Entry(stage.name(), null, null, null, null, -1L, RunLog.FAILED, oneLine(o.failure()), start, o.end()));
                return;
            }
            {
                List<TableWrite> writes = o.writes();
                Instant end = o.end();
                List<String> notes = stage instanceof ReportingStage rs ? rs.notes() : List.of();
                List<String> errors = stage instanceof ReportingStage rs ? rs.errors() : List.of();
                String note = notes.isEmpty() ? null : String.join("; ", notes);
                String status = errors.isEmpty() ? RunLog.SUCCEEDED : RunLog.FAILED;
                String msg = errors.isEmpty() ? note : String.join("; ", errors) + (note == null ? "" : "; " + note);
                if (writes.isEmpty()) {
                    boolean produced = stage instanceof ReportingStage rs && rs.producedOutput();
                    entries.add(new RunLog.Entry(stage.name(), null, 0L, 0L, 0L, -1L,
                            !errors.isEmpty() ? RunLog.FAILED : produced ? RunLog.SUCCEEDED : RunLog.SKIPPED,
                            msg == null ? "nothing to do" : msg, start, end));
                }
                for (TableWrite w : writes) {
                    entries.add(new RunLog.Entry(stage.name(), w.table(), w.rowsIn(), w.rowsLoaded(), w.rowsQuarantined(),
                            w.version(), status, msg, start, end));
                    // A write that committed nothing (an unchanged mart: version -1) has no new rows to check.
                    if (!w.table().startsWith("ops.") && w.version() >= 0) pending.put(w.table(), Map.entry(w, entries.size() - 1));
                }
                if (checkNow) checkPending();
                if (stage instanceof ReportingStage rs) years.addAll(rs.affectedYears());
            }
        }

        /**
         * The checks of the tables written since the last call, on a short run side by side on
         * {@link #parallel} threads: a night's checks are a few small Spark jobs and a Delta snapshot
         * each, mostly driver work that left the cores idle one after the other (≈ 12 s of the
         * 2021-01-02 night at a quarter of one core). Recorded in the order the tables were written.
         */
        void checkPending() {
            List<Map.Entry<TableWrite, Integer>> todo = pending.values().stream()
                    .filter(wi -> !checks.rulesFor(wi.getKey().table()).isEmpty()).toList();
            pending.clear();
            // A long run checks years of rows per table: two at once would hold two large aggregations in the heap.
            if (parallel <= 1 || todo.size() <= 1 || !base.isShortRun()) {
                todo.forEach(wi -> recordChecks(wi.getKey(), wi.getValue(), runChecks(base, wi.getKey())));
                return;
            }
            java.util.concurrent.ExecutorService pool = threads(Math.min(parallel, todo.size()), "cw-check");
            try {
                List<java.util.concurrent.Future<Checked>> futures = new ArrayList<>();
                for (var wi : todo) futures.add(pool.submit(() -> runChecks(base, wi.getKey())));
                for (int i = 0; i < todo.size(); i++) {
                    try {
                        recordChecks(todo.get(i).getKey(), todo.get(i).getValue(), futures.get(i).get());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while the data checks ran", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        recordChecks(todo.get(i).getKey(), todo.get(i).getValue(), new Checked(null, e.getCause()));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /** A table's check results, or what kept them from running. */
        record Checked(List<DataChecks.Result> results, Throwable error) {}

        /** Runs the table's checks (never throws: a failure to run is the outcome). */
        Checked runChecks(RunContext ctx, TableWrite w) {
            try {
                return new Checked(checks.run(ctx.spark(), ctx.warehouse(), w.table(), fullChecks ? null : w.checkScope()), null);
            } catch (RuntimeException e) {
                return new Checked(null, e);
            }
        }

        /**
         * Records {@link #runChecks}'s outcome; an error-level failure, or checks that could not run,
         * mark the log entry that wrote the table FAILED.
         */
        void recordChecks(TableWrite w, int entryIndex, Checked outcome) {
            String table = w.table();
            if (outcome.error() != null) {
                fail(entryIndex, "data checks could not run: " + oneLine(outcome.error()));
                return;
            }
            List<DataChecks.Result> rs = outcome.results();
            checkResults.addAll(rs);
            checkRows.addAll(DataChecks.toRows(base.runId(), table, rs, Timestamp.from(Instant.now())));
            List<String> failed = rs.stream().filter(r -> r.status().equals("Failure"))
                    .map(r -> r.rule().name() + ": " + r.message()).toList();
            if (!failed.isEmpty()) fail(entryIndex, "data check failed: " + String.join("; ", failed));
        }

        void fail(int i, String why) {
            RunLog.Entry e = entries.get(i);
            entries.set(i, new RunLog.Entry(e.stage(), e.table(), e.rowsIn(), e.rowsLoaded(), e.rowsQuarantined(), e.version(),
                    RunLog.FAILED, e.error() == null || !e.status().equals(RunLog.FAILED) ? why : e.error() + "; " + why, e.started(), e.ended()));
        }

        Result finish(PrintStream out) {
            checkPending();
            var spark = base.spark();
            var wh = base.warehouse();
            List<Row> rows = entries.stream().map(e -> e.toRow(base.runId(), base.command(), base.from(), base.to())).toList();
            try {
                Tables.append(spark, wh, Layer.OPS, RunLog.TABLE, spark.createDataFrame(rows, RunLog.SCHEMA), List.of());
                Tables.ensure(spark, wh, Layer.OPS, DataChecks.TABLE, DataChecks.SCHEMA, List.of());
                // A clean run writes no quarantine rows; the table still exists for readers.
                Tables.ensure(spark, wh, Layer.OPS, vn.customs.cw.ops.Quarantine.TABLE, vn.customs.cw.ops.Quarantine.SCHEMA, List.of("source"));
                if (!checkRows.isEmpty()) {
                    Tables.append(spark, wh, Layer.OPS, DataChecks.TABLE, spark.createDataFrame(checkRows, DataChecks.SCHEMA), List.of());
                }
                wh.registerCatalog(spark);
            } catch (RuntimeException e) {
                entries.add(new RunLog.Entry("run_log", "ops." + RunLog.TABLE, null, null, null, -1L, RunLog.FAILED,
                        "could not write the run log: " + oneLine(e), Instant.now(), Instant.now()));
            }
            Result res = new Result(base.runId(), List.copyOf(entries), List.copyOf(checkResults), Set.copyOf(years));
            printSummary(res, out);
            return res;
        }
    }

    static String oneLine(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && (c.getMessage() == null || c instanceof java.util.concurrent.ExecutionException)) c = c.getCause();
        String m = c.getClass().getSimpleName() + ": " + c.getMessage();
        m = m.replaceAll("\\s+", " ");
        return m.length() > 1000 ? m.substring(0, 1000) + "…" : m;
    }

    public static void printSummary(Result r, PrintStream out) {
        out.printf("%nRun %s%n", r.runId());
        out.printf("%-32s %-36s %12s %12s %11s %8s %10s  %s%n", "stage", "table", "rows in", "loaded", "quarantined", "seconds", "rows/s", "status");
        for (RunLog.Entry e : r.entries()) {
            double s = e.seconds();
            long in = e.rowsIn() == null ? 0 : e.rowsIn();
            out.printf("%-32s %-36s %12s %12s %11s %8.1f %10s  %s%n", e.stage(), e.table() == null ? "-" : e.table(),
                    e.rowsIn() == null ? "-" : e.rowsIn(), e.rowsLoaded() == null ? "-" : e.rowsLoaded(),
                    e.rowsQuarantined() == null ? "-" : e.rowsQuarantined(), s, s > 0 ? String.format("%.0f", in / s) : "-",
                    e.status() + (e.error() == null ? "" : " " + e.error()));
        }
        long warn = r.checks().stream().filter(c -> c.status().equals("Warning")).count();
        long fail = r.checks().stream().filter(c -> c.status().equals("Failure")).count();
        out.printf("data checks: %d run, %d failed, %d warnings%n", r.checks().size(), fail, warn);
        out.println(r.failed() ? "FAILED: " + r.reason() : "SUCCEEDED");
    }
}
