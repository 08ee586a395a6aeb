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
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

/** The stage over real Delta tables: continuous monthly figures, previous year, idempotent re-runs. */
class ReleaseTimeStageTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void stageWritesGoldAndRerunsAreIdempotent() {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        TrsFixture fx = may20CF();
        saveSilver(wh, fx);

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

    /**
     * A night replaces the facts and intervals of the declarations that landed that day (one moves
     * to another month, one loses an interval), gives the same tables as a full rebuild, and leaves
     * the other months' files alone. The first run also converts a facts table written before the month
     * partitions.
     */
    @Test
    void nightReplacesTheLandedDeclarationsOnly() {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        TrsFixture fx = may20CF();
        fx.released("104000000106", "20CF", "2020-06-02 08:00:00", 1800);
        fx.released("104000000108", "20CF", "2020-07-01 08:00:00", 600);
        // May 2021: its prev_* columns read May 2020, which the night changes.
        fx.released("104000000109", "20CF", "2021-05-17 08:00:00", 3000);
        saveSilver(wh, fx);
        // A facts table of the year-partitioned layout, with a row no silver declaration explains.
        fx.declarations().limit(1).select(col("declaration_no"), lit(2020).as("registration_year"))
                .withColumn("declaration_no", lit("999999999999"))
                .write().format("delta").partitionBy("registration_year").save(wh.path(Layer.GOLD, "release_time_facts"));

        ReleaseTimeStage stage = new ReleaseTimeStage();
        LocalDate night = LocalDate.of(2020, 5, 13);
        RunContext first = new RunContext(spark(), cfg, wh, "run-1", "test", night, night, Set.of(2020));
        stage.run(first);
        Row detail = spark().sql("DESCRIBE DETAIL delta.`" + wh.path(Layer.GOLD, "release_time_facts") + "`").head();
        assertEquals(List.of("registration_year", "registration_month"), detail.getList(detail.fieldIndex("partitionColumns")),
                "the old year-partitioned facts table was rebuilt by month");
        assertEquals(0, wh.read(spark(), Layer.GOLD, "release_time_facts").filter(col("declaration_no").equalTo("999999999999")).count(),
                "the rebuild dropped the row of the old layout");
        Set<String> julyFiles = files(wh, "release_time_intervals", 2020, 7);
        Set<String> may2019Files = files(wh, "release_time_facts", 2019, 5);

        // The night of 13 May 2020: 105 is released, 107 is new, and 104's registration instant is
        // corrected into June. 106 (June) and 108 (July) did not land that night.
        fx.get("104000000105").at(vn.customs.cw.contracts.Milestone.RELEASE, "2020-05-13 07:00:00")
                .at(vn.customs.cw.contracts.Milestone.CLEARANCE, "2020-05-13 07:00:00");
        fx.released("104000000107", "20CF", "2020-05-13 06:00:00", 4000);
        fx.released("104000000104", "20CF", "2020-06-01 10:00:00", 9000);
        // 103's clearance is withdrawn (a corrected step): its RELEASE→CLEARANCE interval must go.
        assertEquals(2, intervalsOf(wh, "104000000103"), "103: registration→release→clearance before the night");
        fx.get("104000000103").at.remove(vn.customs.cw.contracts.Milestone.CLEARANCE);
        save(wh, "declarations", fx.declarations());
        save(wh, "declaration_milestones", fx.milestones());
        bronze(wh, "declarations", List.of("104000000104", "104000000107"), night);
        bronze(wh, "declarations", List.of("104000000106"), LocalDate.of(2020, 6, 2));
        bronze(wh, "declaration_events", List.of("104000000103", "104000000105", "104000000107"), night);

        // Nights replace declarations with a MERGE; a national deployment runs it on deletion vectors.
        CwConfig dv = CwConfig.load(repoRoot(), "local", Map.of("cw.paths.warehouse", cfg.paths().warehouse(),
                "cw.etl.deletion-vectors", true));
        List<TableWrite> writes = stage.run(new RunContext(spark(), dv, wh, "run-2", "test", night, night, Set.of(2020)));
        TableWrite facts = writes.get(0);
        assertEquals("gold.release_time_facts", facts.table(), "first write is facts");
        assertEquals(4L, facts.rowsLoaded(), "only the declarations that landed (103, 104, 105, 107) are recomputed, "
                + "not May's 102 or June's 106: " + facts);
        assertEquals(1, intervalsOf(wh, "104000000103"), "103's withdrawn clearance took its interval with it");
        assertEquals("(registration_year = 2020 AND registration_month IN (5, 6))", facts.checkScope(),
                "the data checks look at the replaced months");
        assertEquals(julyFiles, files(wh, "release_time_intervals", 2020, 7), "July 2020 was not touched: same files");
        assertEquals(may2019Files, files(wh, "release_time_facts", 2019, 5), "May 2019 was not touched: same files");
        Map<String, List<Row>> night2 = snapshot(wh);

        // The same silver rebuilt from scratch gives the very same rows: nothing stale, nothing missing.
        stage.run(new RunContext(spark(), cfg, wh, "run-3", "test", null, null, Set.of()));
        Map<String, List<Row>> rebuilt = snapshot(wh);
        for (String t : rebuilt.keySet()) {
            assertEquals(rebuilt.get(t), night2.get(t), t + ": the night's incremental result equals a full rebuild");
        }
        assertEquals(1, night2.get("release_time_facts").stream().filter(r -> r.getString(0).equals("104000000104")).count(),
                "104 moved to June and left no row in May");
        TableWrite monthly = writes.get(2);
        assertEquals("gold.release_time_monthly", monthly.table(), "third write is monthly");
        assertEquals("(year = 2020 AND (period_type = 'YEAR' OR month IN (5, 6))) OR (year = 2021 AND (period_type = 'YEAR' OR month IN (5, 6)))",
                monthly.checkScope(), "monthly replaces the night's months, their year, and the same periods a year later");
        assertEquals(8, writes.size(), "May is a campaign month (QN-2020-1): the campaign tables were recomputed: " + writes);
        Row may2021 = monthlyRow(wh, "2021-05");
        assertEquals(monthlyRow(wh, "2020-05").<Double>getAs("mean_seconds"), may2021.<Double>getAs("prev_mean_seconds"), 1e-9,
                "May 2021 compares with the May 2020 the night recomputed");

        // A night that touches July only: no campaign reads July, so the campaign tables stay as they are.
        Map<String, Long> campaignVersions = new java.util.TreeMap<>();
        for (String t : ReleaseTimeStage.CAMPAIGN_TABLES) campaignVersions.put(t, wh.version(spark(), Layer.GOLD, t));
        fx.released("104000000108", "20CF", "2020-07-01 08:00:00", 900);
        // And a monthly table as the release before release_before_registration wrote it: the night
        // cannot replace some of its rows (Delta refuses another schema), so it rebuilds it whole, once.
        long monthlyRows = wh.read(spark(), Layer.GOLD, "release_time_monthly").count();
        wh.read(spark(), Layer.GOLD, "release_time_monthly").drop("release_before_registration").write().format("delta")
                .mode("overwrite").option("overwriteSchema", "true").save(wh.path(Layer.GOLD, "release_time_monthly"));
        save(wh, "declarations", fx.declarations());
        save(wh, "declaration_milestones", fx.milestones());
        LocalDate july = LocalDate.of(2020, 7, 2);
        bronze(wh, "declaration_events", List.of("104000000108"), july);
        List<TableWrite> julyWrites = stage.run(new RunContext(spark(), cfg, wh, "run-4", "test", july, july, Set.of(2020)));
        assertEquals(List.of("gold.release_time_facts", "gold.release_time_intervals", "gold.release_time_monthly"),
                julyWrites.stream().map(TableWrite::table).toList(), "July is in no campaign's weeks: only three writes");
        for (String t : ReleaseTimeStage.CAMPAIGN_TABLES) {
            assertEquals(campaignVersions.get(t), wh.version(spark(), Layer.GOLD, t), t + " was not rewritten");
        }
        assertEquals(900.0, monthlyRow(wh, "2020-07").<Double>getAs("mean_seconds"), 1e-9, "July recomputed");
        assertEquals(ReleaseTimeMonthly.columnNames(), List.of(wh.read(spark(), Layer.GOLD, "release_time_monthly").columns()),
                "the older monthly table was rebuilt with this release's columns");
        assertNull(julyWrites.get(2).checkScope(), "rebuilt whole, so checked whole");
        assertEquals(monthlyRows, wh.read(spark(), Layer.GOLD, "release_time_monthly").count(), "every period is still there");
        assertEquals(monthlyRow(wh, "2020-05").<Double>getAs("mean_seconds"), monthlyRow(wh, "2021-05").<Double>getAs("prev_mean_seconds"),
                1e-9, "and still compared with its previous year");

        // The same night with a changed campaign rule: the fingerprint differs, the campaigns are recomputed.
        CwConfig stricter = CwConfig.load(repoRoot(), "local", Map.of(
                "cw.paths.warehouse", cfg.paths().warehouse(), "cw.trs.min-declarations-per-office", 5));
        List<TableWrite> again = stage.run(new RunContext(spark(), stricter, wh, "run-5", "test", july, july, Set.of(2020)));
        assertEquals(8, again.size(), "a changed cw.trs recomputes the campaign tables: " + again);
        assertEquals(0, wh.read(spark(), Layer.GOLD, "trs_campaign_summary")
                .filter(col("campaign_id").equalTo("QN-2020-1").and(col("office_code").equalTo("20CF"))).count(),
                "20CF has 4 declarations < 5: now left out of QN-2020-1");
    }

    @Test
    void factsOfAReleaseWithOtherColumnsAreRebuiltWholeByTheNextNight() {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        saveSilver(wh, may20CF());
        ReleaseTimeStage stage = new ReleaseTimeStage();
        stage.run(new RunContext(spark(), cfg, wh, "run-1", "test", null, null, Set.of()));
        Map<String, List<Row>> built = snapshot(wh);
        org.junit.jupiter.api.Assertions.assertTrue(ReleaseTimeStage.currentColumns(spark(), wh), "the tables it just wrote have this release's columns");

        // An older release's facts: the same month partitions, one column fewer.
        Dataset<Row> old = wh.read(spark(), Layer.GOLD, "release_time_facts");
        String dropped = java.util.Arrays.stream(old.columns()).filter(c -> !ReleaseTimeStage.PARTITIONS.contains(c) && !c.equals("declaration_no"))
                .reduce((a, b) -> b).orElseThrow();
        old.drop(dropped).localCheckpoint().write().format("delta").mode("overwrite").option("partitionOverwriteMode", "static")
                .option("overwriteSchema", "true").partitionBy("registration_year", "registration_month")
                .save(wh.path(Layer.GOLD, "release_time_facts"));
        assertFalse(ReleaseTimeStage.currentColumns(spark(), wh), "facts without " + dropped + " are not of this release");

        // A night that would MERGE one declaration into facts: the MERGE cannot set the missing column.
        LocalDate night = LocalDate.of(2020, 5, 13);
        bronze(wh, "declaration_events", List.of("104000000103"), night);
        List<TableWrite> writes = stage.run(new RunContext(spark(), cfg, wh, "run-2", "test", night, night, Set.of(2020)));
        assertEquals("gold.release_time_facts", writes.get(0).table(), "first write is facts");
        assertNull(writes.get(0).checkScope(), "rebuilt whole, so checked whole: " + writes.get(0));
        org.junit.jupiter.api.Assertions.assertTrue(List.of(wh.read(spark(), Layer.GOLD, "release_time_facts").columns()).contains(dropped), dropped + " is back");
        assertEquals(built, snapshot(wh), "the rebuild gives the tables the first build gave from the same silver");
        org.junit.jupiter.api.Assertions.assertTrue(ReleaseTimeStage.currentColumns(spark(), wh), "the next night replaces declarations again");
    }

    private long intervalsOf(Warehouse wh, String declarationNo) {
        return wh.read(spark(), Layer.GOLD, "release_time_intervals").filter(col("declaration_no").equalTo(declarationNo)).count();
    }

    private Set<String> files(Warehouse wh, String table, int year, int month) {
        Set<String> out = new java.util.TreeSet<>();
        for (Row r : wh.read(spark(), Layer.GOLD, table)
                .filter(col("registration_year").equalTo(year).and(col("registration_month").equalTo(month)))
                .select(org.apache.spark.sql.functions.input_file_name()).distinct().collectAsList()) {
            out.add(r.getString(0));
        }
        assertFalse(out.isEmpty(), table + " has rows in " + year + "-" + month);
        return out;
    }

    private Map<String, List<Row>> snapshot(Warehouse wh) {
        Map<String, List<Row>> out = new java.util.TreeMap<>();
        for (String t : List.of("release_time_facts", "release_time_intervals", "release_time_monthly")) {
            Dataset<Row> d = wh.read(spark(), Layer.GOLD, t);
            String[] cols = d.columns();
            out.put(t, d.orderBy(java.util.Arrays.stream(cols).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                    .collectAsList());
        }
        return out;
    }

    /** Bronze rows as the landing parser writes them: the key as a string and the landing day. */
    private void bronze(Warehouse wh, String table, List<String> keys, LocalDate day) {
        spark().createDataset(keys, org.apache.spark.sql.Encoders.STRING()).toDF("declaration_no")
                .withColumn("_landing_date", lit(java.sql.Date.valueOf(day)))
                .write().format("delta").mode("append").partitionBy("_landing_date").save(wh.path(Layer.BRONZE, table));
    }

    /** 20CF imports: May 2019 7200 s; May 2020 3600, 5400, 9000 -> mean 6000, change -1200 s (-16.67%); 105 unfinished. */
    private TrsFixture may20CF() {
        TrsFixture fx = new TrsFixture(spark());
        fx.released("104000000101", "20CF", "2019-05-13 08:00:00", 7200);
        fx.released("104000000102", "20CF", "2020-05-12 08:00:00", 3600);
        fx.released("104000000103", "20CF", "2020-05-12 09:00:00", 5400);
        fx.released("104000000104", "20CF", "2020-05-12 10:00:00", 9000);
        fx.decl("104000000105", "20CF", "A11", "2020-05-12 11:00:00"); // not released yet: unfinished
        return fx;
    }

    /** The fixture's declarations and milestones, and the reference tables the stage reads. */
    private void saveSilver(Warehouse wh, TrsFixture fx) {
        save(wh, "declarations", fx.declarations());
        save(wh, "declaration_milestones", fx.milestones());
        // The real campaigns of conf/cw.conf run too: the calendar must hold their weeks.
        save(wh, "ref_calendar", fx.calendar(LocalDate.of(2019, 1, 1), LocalDate.of(2021, 12, 31), Map.of()));
        save(wh, "ref_offices", fx.offices(Map.of("20CF", true, "20CG", true, "20BB", true, "20BC", true,
                "20CE", true, "11B1", true, "03CC", true)));
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
