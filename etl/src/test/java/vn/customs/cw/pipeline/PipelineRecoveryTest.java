package vn.customs.cw.pipeline;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.ops.RunLog;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.customs.cw.pipeline.Landing.decl;
import static vn.customs.cw.pipeline.Landing.event;

class PipelineRecoveryTest extends SparkTestBase {
    static final LocalDate D1 = LocalDate.of(2020, 5, 11);
    static final LocalDate D2 = LocalDate.of(2020, 5, 12);

    RunContext ctx(Path dir, LocalDate from, LocalDate to, Map<String, ?> overrides) {
        var o = new java.util.HashMap<String, Object>(Map.of(
                "cw.paths.landing", dir.resolve("landing").toString(),
                "cw.paths.warehouse", dir.resolve("warehouse").toString(),
                "cw.paths.out", dir.resolve("out").toString(),
                "cw.paths.locks", dir.resolve("locks").toString()));
        o.putAll(overrides);
        CwConfig cfg = CwConfig.load(repoRoot(), "local", o);
        return new RunContext(spark(), cfg, new Warehouse(cfg.paths().warehouse()), Pipeline.newRunId("test"), "test", from, to, Set.of());
    }

    static void land(Path landing) {
        Landing.write(landing, Source.DECLARATIONS, D1, List.of(
                decl("104000000001", "A11", "20CF", "2", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"),
                decl("300000000002", "B11", "20BB", "1", "2020-05-11T08:30:00+07:00", "2020-05-11T18:00:00+07:00")));
        Landing.write(landing, Source.DECLARATION_EVENTS, D1, List.of(
                event("104000000001", "REGISTRATION", "2020-05-11T08:00:00+07:00", null, "2020-05-11T08:00:01+07:00"),
                event("104000000001", "CHANNEL_ASSIGNED", "2020-05-11T08:01:00+07:00", "2", "2020-05-11T08:01:01+07:00"),
                event("300000000002", "REGISTRATION", "2020-05-11T08:30:00+07:00", null, "2020-05-11T08:30:01+07:00")));
        Landing.write(landing, Source.DECLARATIONS, D2, List.of(
                // a later version of 104…1 (channel 1) wins; an older one of 300…2 (updated before 18:00) loses
                decl("104000000001", "A11", "20CF", "1", "2020-05-11T08:00:00+07:00", "2020-05-12T07:00:00+07:00"),
                decl("300000000002", "B11", "20BB", "3", "2020-05-11T08:30:00+07:00", "2020-05-11T17:00:00+07:00")));
        Landing.write(landing, Source.DECLARATION_EVENTS, D2, List.of(
                event("104000000001", "RELEASE", "2020-05-12T10:00:00+07:00", null, "2020-05-12T10:00:01+07:00")));
    }

    /** A stage that fails, as a gold stage might. */
    static final class Boom implements Stage {
        public String name() { return "gold:boom"; }
        public List<TableWrite> run(RunContext ctx) { throw new IllegalStateException("boom: simulated gold failure"); }
    }

    /** A gold-like stage after the failing one: it must still run, on what silver holds. */
    static final class CountDeclarations implements Stage {
        public String name() { return "gold:count"; }
        public List<TableWrite> run(RunContext ctx) {
            var df = ctx.warehouse().read(ctx.spark(), Layer.SILVER, "declarations").groupBy("direction").count();
            long v = Tables.overwrite(ctx.spark(), ctx.warehouse(), Layer.GOLD, "test_counts", df);
            return List.of(TableWrite.derived("gold.test_counts", 2, v));
        }
    }

    /** Like the reports stage: writes no table, and produces output (PDFs) or has nothing to do. */
    record Renders(String name, boolean produces) implements ReportingStage {
        public List<TableWrite> run(RunContext ctx) { return List.of(); }
        @Override public boolean producedOutput() { return produces; }
        @Override public List<String> notes() { return produces ? List.of("out/x.pdf") : List.of(); }
    }

    @Test
    void backfillInDailyBatchesLetsTheLaterVersionWinAndAFailingStageDoesNotStopTheNext(@TempDir Path dir) {
        land(dir.resolve("landing"));
        RunContext c = ctx(dir, D1, D2, Map.of("cw.etl.batch-days", 1));
        Pipeline.Result r = Pipeline.run(c, List.of(new Boom(), new CountDeclarations(),
                new Renders("reports:pdf", true), new Renders("reports:none", false)), System.out);
        Warehouse wh = c.warehouse();
        Map<String, String> channel = new java.util.HashMap<>();
        for (Row x : wh.read(spark(), Layer.SILVER, "declarations").collectAsList()) {
            channel.put(x.getAs("declaration_no"), x.getAs("channel_code"));
        }
        assertEquals(Map.of("104000000001", "1", "300000000002", "1"), channel,
                "104…1: day 2's later version wins; 300…2: day 2's older version does not overwrite");
        Row m = wh.read(spark(), Layer.SILVER, "declaration_milestones").filter(col("declaration_no").equalTo("104000000001")).head();
        Assertions.assertNotNull(m.getAs("released_at"), "milestones rebuilt with day 2's event");
        assertEquals(2L, wh.read(spark(), Layer.BRONZE, "declarations").select("_landing_date").distinct().count(), "two landing days in bronze");
        Assertions.assertTrue(r.failed(), "the failed stage fails the run");
        Assertions.assertTrue(r.reason().contains("boom"), "one-line reason names the failure: " + r.reason());
        RunLog.Entry after = r.entries().stream().filter(e -> e.stage().equals("gold:count")).findFirst().orElseThrow();
        assertEquals(RunLog.SUCCEEDED, after.status(), "a stage after a failed one still runs");
        Map<String, RunLog.Entry> renders = new java.util.HashMap<>();
        r.entries().stream().filter(e -> e.stage().startsWith("reports:")).forEach(e -> renders.put(e.stage(), e));
        assertEquals(RunLog.SUCCEEDED, renders.get("reports:pdf").status(), "no table written but output rendered: succeeded, not skipped");
        assertEquals("out/x.pdf", renders.get("reports:pdf").error(), "its notes name the output");
        assertEquals(RunLog.SKIPPED, renders.get("reports:none").status(), "nothing produced and nothing written: skipped");
        assertEquals("nothing to do", renders.get("reports:none").error(), "and says so");
        assertEquals(Set.of(2020), r.affectedYears());
        long logged = wh.read(spark(), Layer.OPS, "run_log").filter(col("stage").equalTo("gold:boom").and(col("status").equalTo("FAILED"))).count();
        assertEquals(1L, logged, "the failure is in ops.run_log");
    }

    @Test
    void aRunKilledAfterSilverThenRerunGivesTheTablesOfAnUninterruptedRun(@TempDir Path dir) {
        land(dir.resolve("crashed/landing"));
        land(dir.resolve("clean/landing"));
        // Crashed run: reference, declarations and events are written, then the process dies
        // before the milestones pivot, the data checks and the run log.
        RunContext crashed = ctx(dir.resolve("crashed"), D1, D1, Map.of());
        new ReferenceStage().run(crashed);
        new SourceStage(Source.DECLARATIONS).run(crashed);
        new SourceStage(Source.DECLARATION_EVENTS).run(crashed);
        Assertions.assertFalse(crashed.warehouse().exists(spark(), Layer.SILVER, "declaration_milestones"), "crash before the pivot");
        // The re-run loads its sources side by side, the clean run one after the other: the tables
        // must not depend on either.
        Pipeline.Result rerun = Pipeline.run(ctx(dir.resolve("crashed"), D1, D1, Map.of("cw.etl.parallel-sources", 3)), List.of(), System.out);
        Pipeline.Result clean = Pipeline.run(ctx(dir.resolve("clean"), D1, D1, Map.of("cw.etl.parallel-sources", 1)), List.of(), System.out);
        Assertions.assertFalse(rerun.failed(), "the re-run succeeds: " + rerun.reason());
        Assertions.assertFalse(clean.failed(), "the clean run succeeds: " + clean.reason());
        Map<String, List<String>> a = WarehouseSnapshot.of(spark(), dir.resolve("crashed/warehouse").toString());
        Map<String, List<String>> b = WarehouseSnapshot.of(spark(), dir.resolve("clean/warehouse").toString());
        assertEquals(b.keySet(), a.keySet(), "same tables");
        for (String t : b.keySet()) assertEquals(b.get(t), a.get(t), t + " after crash + re-run (sources side by side) equals the uninterrupted run (one after the other)");
        Assertions.assertTrue(a.get("silver/declaration_milestones").size() == 2, "milestones rebuilt for both declarations");
    }
}
