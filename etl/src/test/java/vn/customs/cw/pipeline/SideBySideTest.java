package vn.customs.cw.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.ops.RunLog;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Gold stages side by side on a short run (cw.etl.parallel-gold), each logged as its own stage. */
class SideBySideTest extends SparkTestBase {

    @TempDir
    Path dir;

    static final LocalDate NIGHT = LocalDate.of(2021, 1, 2);

    RunContext ctx(LocalDate from, LocalDate to, String mode) {
        Map<String, Object> o = new HashMap<>(Map.of("cw.paths.landing", dir.resolve("landing").toString(),
                "cw.paths.warehouse", dir.resolve("warehouse").toString(), "cw.paths.out", dir.resolve("out").toString(),
                "cw.paths.locks", dir.resolve("locks").toString()));
        if (mode != null) o.put("cw.etl.parallel-gold", mode);
        CwConfig cfg = CwConfig.load(repoRoot(), "local", o);
        return new RunContext(spark(), cfg, new Warehouse(cfg.paths().warehouse()), Pipeline.newRunId("test"), "test", from, to, Set.of());
    }

    /** Records when it ran; with a latch, waits until every stage sharing it has started. */
    static final class Probe implements Stage {
        final String name;
        final CountDownLatch together;
        final RuntimeException failure;
        volatile Instant start, end;
        volatile boolean metTheOthers;

        Probe(String name, CountDownLatch together, RuntimeException failure) {
            this.name = name;
            this.together = together;
            this.failure = failure;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<TableWrite> run(RunContext ctx) {
            start = Instant.now();
            try {
                if (together != null) {
                    together.countDown();
                    metTheOthers = together.await(60, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            end = Instant.now();
            if (failure != null) throw failure;
            return List.of();
        }
    }

    static Pipeline.Result run(RunContext ctx, List<Stage> stages) {
        return Pipeline.runStages(ctx, stages, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aNightRunsTheMembersAtOnceAndLogsEachAsItsOwnStage() {
        CountDownLatch latch = new CountDownLatch(2);
        Probe marts = new Probe("gold.marts", latch, new IllegalStateException("mart exploded"));
        Probe trs = new Probe("gold.release_time", latch, null);
        Probe reports = new Probe("reports", null, null);
        Pipeline.Result r = run(ctx(NIGHT, NIGHT, null), List.of(SideBySide.of(marts, trs), reports));

        Assertions.assertTrue(marts.metTheOthers && trs.metTheOthers,
                "on a one-day run (auto) both members must be running at the same time: each waited for the other");
        Assertions.assertFalse(reports.start.isBefore(marts.end) || reports.start.isBefore(trs.end),
                "the stage after the group starts only when every member has ended");
        List<String> stages = r.entries().stream().map(RunLog.Entry::stage).toList();
        Assertions.assertEquals(List.of("gold.marts", "gold.release_time", "reports"), stages,
                "one log entry per member, in the group's order, whatever order they ended in");
        Assertions.assertEquals(RunLog.FAILED, r.entries().get(0).status(), "the failing member is logged as failed");
        Assertions.assertTrue(r.entries().get(0).error().contains("mart exploded"), "with its reason: " + r.entries().get(0).error());
        Assertions.assertNotEquals(RunLog.FAILED, r.entries().get(1).status(), "a member's failure does not fail the other member");
        Assertions.assertNotEquals(RunLog.FAILED, r.entries().get(2).status(), "nor the stages after the group");
    }

    /** Writes one table of the warehouse from SQL rows, as a stage would. */
    static Stage writer(String stage, String table, String rowsSql) {
        return new Stage() {
            @Override
            public String name() {
                return stage;
            }

            @Override
            public List<TableWrite> run(RunContext ctx) {
                String[] t = table.split("\\.", 2);
                var layer = vn.customs.cw.spark.Layer.valueOf(t[0].toUpperCase(java.util.Locale.ROOT));
                long v = vn.customs.cw.ops.Tables.overwrite(ctx.spark(), ctx.warehouse(), layer, t[1], ctx.spark().sql(rowsSql));
                return List.of(TableWrite.derived(table, ctx.spark().sql(rowsSql).count(), v));
            }
        };
    }

    @Test
    void aNightsChecksRunSideBySideAndEachOutcomeLandsOnTheEntryThatWroteTheTable() {
        String good = "SELECT '20' AS department_code, 2021 AS target_year, 'MOF' AS target_source";
        Stage duplicateKey = writer("gold.marts", "silver.revenue_targets", good + " UNION ALL " + good);
        Stage wrongColumns = writer("gold.release_time", "silver.revenue", "SELECT 1 AS x");
        Stage after = writer("gold.after", "silver.revenue_targets", good);
        RunContext night = ctx(NIGHT, NIGHT, null);
        Assertions.assertEquals(2, night.config().raw().getInt("cw.etl.parallel-sources"), "the checks get the sources' two threads");
        Pipeline.Result r = run(night, List.of(SideBySide.of(duplicateKey, wrongColumns), after));

        List<String> stages = r.entries().stream().map(RunLog.Entry::stage).toList();
        Assertions.assertEquals(List.of("gold.marts", "gold.release_time", "gold.after"), stages, "one entry per table write, in order");
        RunLog.Entry dup = r.entries().get(0), cannot = r.entries().get(1), ok = r.entries().get(2);
        Assertions.assertEquals(RunLog.FAILED, dup.status(), "a duplicate key fails the write's own entry: " + r.entries() + " " + r.checks());
        Assertions.assertTrue(dup.error().startsWith("data check failed: ") && dup.error().contains("Uniqueness"), dup.error());
        Assertions.assertEquals(RunLog.FAILED, cannot.status(), "checks that cannot run fail the entry that wrote the table");
        Assertions.assertTrue(cannot.error().startsWith("data checks could not run: "), cannot.error());
        Assertions.assertEquals(RunLog.SUCCEEDED, ok.status(), "the stage after the group is checked on its own rows: " + ok.error());

        List<String> tables = r.checks().stream().map(c -> c.rule().table()).distinct().toList();
        Assertions.assertEquals(List.of("silver.revenue_targets"), tables, "results only for the tables whose checks ran");
        int n = r.checks().size() / 2;
        Assertions.assertEquals(List.of("key"), r.checks().subList(0, n).stream().filter(c -> c.status().equals("Failure"))
                .map(c -> c.rule().type()).toList(), "the first write's results come first, with its key rule failed: " + r.checks());
        Assertions.assertTrue(r.checks().subList(n, 2 * n).stream().noneMatch(c -> c.status().equals("Failure")),
                "then the last write's, all passed: " + r.checks());
    }

    @Test
    void aLongRunOrOffRunsThemOneAfterTheOther() {
        for (RunContext c : List.of(ctx(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31), null), ctx(NIGHT, NIGHT, "off"))) {
            Probe a = new Probe("gold.marts", null, null);
            Probe b = new Probe("gold.release_time", null, null);
            Pipeline.Result r = run(c, List.of(SideBySide.of(a, b)));
            Assertions.assertFalse(b.start.isBefore(a.end), "a year's backfill (auto) or off: release time starts after the marts end, "
                    + a.start + ".." + a.end + " / " + b.start + ".." + b.end + " (" + c.from() + ".." + c.to() + ")");
            Assertions.assertEquals(List.of("gold.marts", "gold.release_time"), r.entries().stream().map(RunLog.Entry::stage).toList());
        }
        Assertions.assertTrue(SideBySide.enabled(ctx(LocalDate.of(2020, 12, 1), LocalDate.of(2020, 12, 31), null)),
                "31 days is still a short run (cw.etl.incremental-max-days)");
        Assertions.assertTrue(SideBySide.enabled(ctx(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31), "on")), "on forces it");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SideBySide.enabled(ctx(NIGHT, NIGHT, "sometimes")));
        Assertions.assertTrue(bad.getMessage().contains("'sometimes'"), "the offending value is named: " + bad.getMessage());
    }
}
