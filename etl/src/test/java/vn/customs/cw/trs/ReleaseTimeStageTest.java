package vn.customs.cw.trs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.TableWrite;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/** The stage over real Delta tables: continuous monthly figures, previous year, idempotent re-runs. */
class ReleaseTimeStageTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void stageWritesGoldAndRerunsAreIdempotent() {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        TrsFixture fx = new TrsFixture(spark());
        // 20CF imports: May 2019 7200 s; May 2020 3600, 5400, 9000 -> mean 6000, change -1200 s (-16.67%).
        fx.released("104000000101", "20CF", "2019-05-13 08:00:00", 7200);
        fx.released("104000000102", "20CF", "2020-05-12 08:00:00", 3600);
        fx.released("104000000103", "20CF", "2020-05-12 09:00:00", 5400);
        fx.released("104000000104", "20CF", "2020-05-12 10:00:00", 9000);
        fx.decl("104000000105", "20CF", "A11", "2020-05-12 11:00:00"); // not released yet: unfinished
        save(wh, "declarations", fx.declarations());
        save(wh, "declaration_milestones", fx.milestones());
        // The real campaigns of conf/cw.conf run too: the calendar must hold their weeks.
        save(wh, "ref_calendar", fx.calendar(LocalDate.of(2019, 1, 1), LocalDate.of(2021, 12, 31), Map.of()));
        save(wh, "ref_offices", fx.offices(Map.of("20CF", true, "20CG", true, "20BB", true, "20BC", true,
                "20CE", true, "11B1", true, "03CC", true)));

        ReleaseTimeStage stage = new ReleaseTimeStage();
        assertEquals("gold.release_time", stage.name(), "stage name");
        RunContext ctx = new RunContext(spark(), cfg, wh, "run-1", "test", null, null, Set.of());
        List<TableWrite> full = stage.run(ctx);
        assertEquals(8, full.size(), "facts, intervals, monthly and five campaign tables: " + full);

        Row may = monthlyRow(wh, "2020-05");
        assertEquals(4L, may.<Long>getAs("declarations"), "four 20CF imports in May 2020");
        assertEquals(1L, may.<Long>getAs("unfinished"), "one not yet released");
        assertEquals(6000.0, may.<Double>getAs("mean_seconds"), 1e-9, "(3600 + 5400 + 9000) / 3");
        assertEquals(5400.0, may.<Double>getAs("median_seconds"), 1e-9, "median");
        assertEquals(7200.0, may.<Double>getAs("prev_mean_seconds"), 1e-9, "May 2019");
        assertEquals(-1200.0, may.<Double>getAs("change_seconds"), 1e-9, "change vs May 2019");
        assertEquals(-100.0 / 6, may.<Double>getAs("change_pct"), 1e-9, "change in percent");
        assertEquals(1.0, may.<Double>getAs("customs_share"), 1e-12, "release is the only step: all customs");

        long factsRows = wh.read(spark(), Layer.GOLD, "release_time_facts").count();
        long monthlyRows = wh.read(spark(), Layer.GOLD, "release_time_monthly").count();
        RunContext again = ctx.withAffectedYears(Set.of(2020));
        List<TableWrite> rerun = stage.run(again);
        assertEquals(factsRows, wh.read(spark(), Layer.GOLD, "release_time_facts").count(), "facts: rerun replaces 2020");
        assertEquals(monthlyRows, wh.read(spark(), Layer.GOLD, "release_time_monthly").count(), "monthly: idempotent");
        assertEquals(-1200.0, monthlyRow(wh, "2020-05").<Double>getAs("change_seconds"), 1e-9,
                "2019 rows kept, so the comparison survives a 2020-only rerun");
        TableWrite facts = rerun.get(0);
        assertEquals("gold.release_time_facts", facts.table(), "first write is facts");
        assertEquals(4L, facts.rowsLoaded(), "only the 2020 declarations were rewritten");
        org.junit.jupiter.api.Assertions.assertTrue(facts.version() >= 1, "a second commit on facts: " + facts.version());

        Dataset<Row> excluded = wh.read(spark(), Layer.GOLD, "trs_excluded_units")
                .filter(col("campaign_id").equalTo("QN-2020-1").and(col("office_code").equalTo("20CF")));
        assertEquals(0, excluded.count(), "20CF had 4 declarations in the week of QN-2020-1: it takes part");
        Row notSelected = wh.read(spark(), Layer.GOLD, "trs_excluded_units")
                .filter(col("campaign_id").equalTo("QN-2020-1").and(col("office_code").equalTo("20CE"))).head();
        assertEquals("NOT_SELECTED", notSelected.getAs("reason_code"), "QN-2020-1 lists 4 offices; 20CE is not one");
        Row summary = wh.read(spark(), Layer.GOLD, "trs_campaign_summary")
                .filter(col("campaign_id").equalTo("QN-2020-1").and(col("office_code").equalTo("20CF"))).head();
        assertEquals(6000.0, summary.<Double>getAs("mean_seconds"), 1e-9, "campaign mean from the same facts");
    }

    private Row monthlyRow(Warehouse wh, String period) {
        List<Row> rows = wh.read(spark(), Layer.GOLD, "release_time_monthly")
                .filter(col("period").equalTo(period).and(col("office_code").equalTo("20CF"))
                        .and(col("direction").equalTo("IMPORT")).and(col("channel").equalTo("ALL"))).collectAsList();
        assertEquals(1, rows.size(), "one monthly row for " + period + ": " + rows);
        return rows.get(0);
    }

    private void save(Warehouse wh, String table, Dataset<Row> df) {
        df.write().format("delta").mode("overwrite").save(wh.path(Layer.SILVER, table));
    }
}
