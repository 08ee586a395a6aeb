package vn.customs.cw.gold;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static vn.customs.cw.gold.SilverFixtures.row;
import static vn.customs.cw.gold.SilverFixtures.table;

/** The stage end to end on a temporary warehouse of tiny silver Delta tables. */
class GoldMartsStageTest extends SparkTestBase {

    private void silver(Warehouse wh, String name, Dataset<Row> df, String partition) {
        var w = df.write().format("delta").mode("overwrite")
                // As the loads create them (Tables.merge): the monthly marts of a night read the feed.
                .option(vn.customs.cw.ops.Tables.CHANGE_FEED, String.valueOf(GoldMartsStage.changeFeedInputs().contains(name)));
        if (partition != null) w = w.partitionBy(partition);
        w.save(wh.path(Layer.SILVER, name));
    }

    private static Map<String, Object> decl(String no, String office, String date, boolean cancelled) {
        return row("declaration_no", no, "office_code", office, "department_code", office.substring(0, 2),
                "registered_at", date + "T09:00:00+07:00", "registration_date", date,
                "registration_year", Integer.parseInt(date.substring(0, 4)), "direction", no.startsWith("1") ? "IMPORT" : "EXPORT",
                "is_cancelled", cancelled, "invoice_value_usd", "10.00", "tax_amount_vnd", "100",
                "enterprise_tax_code", "5700100256");
    }

    /** Every silver input except revenue_targets, which is left missing on purpose. */
    private void writeSilver(Warehouse wh) {
        silver(wh, "declarations", table(spark(), SilverFixtures.DECLARATIONS, List.of(
                decl("104000000001", "20CF", "2019-05-03", false),
                decl("104000000002", "20CF", "2020-05-11", false),
                decl("104000000003", "20CF", "2020-05-12", true),
                decl("304000000004", "20BB", "2021-02-01", false))), "registration_year");
        silver(wh, "nsw_dossiers", table(spark(), SilverFixtures.NSW_DOSSIERS, List.of(
                row("dossier_no", "N1", "declaration_no", "104000000002", "office_code", "20BB", "department_code", "20",
                        "agency_code", "BYT", "procedure_code", "BYT-01", "submitted_at", "2019-12-30T08:00:00+07:00",
                        "submitted_year", 2019, "result_at", "2020-01-03T08:00:00+07:00", "result", "PASS"))), "submitted_year");
        silver(wh, "emanifest", table(spark(), SilverFixtures.EMANIFEST, List.of(
                row("manifest_no", "E1", "office_code", "20CF", "department_code", "20", "vehicle_type", "SHIP",
                        "movement", "ENTRY", "vehicle_id", "IMO9354387", "declared_at", "2020-03-02T06:00:00+07:00",
                        "declared_year", 2020))), "declared_year");
        silver(wh, "certificates_of_origin", table(spark(), SilverFixtures.CERTIFICATES_OF_ORIGIN, List.of(
                row("co_no", "C1", "form", "D", "is_electronic", true, "exporting_country", "TH", "office_code", "20CF",
                        "department_code", "20", "received_at", "2020-09-01T09:00:00+07:00", "received_year", 2020))),
                "received_year");
        silver(wh, "admin_dossiers", table(spark(), SilverFixtures.ADMIN_DOSSIERS, List.of(
                GoldMartsTest.dossier("S1", "20", "ONLINE", "2020-09-01T09:00:00+07:00"),
                GoldMartsTest.dossier("S2", "20", "POST", "2020-09-02T09:00:00+07:00"),
                GoldMartsTest.dossier("P1", "20", "ONLINE", "2019-09-02T09:00:00+07:00"))), "received_year");
        silver(wh, "dossier_reports", table(spark(), SilverFixtures.DOSSIER_REPORTS, List.of(
                GoldMartsTest.report("20", 2020, 9, 127258L, 119910L, null, null, 7329L))), null);
        silver(wh, "reform_tasks", table(spark(), SilverFixtures.REFORM_TASKS, List.of(
                row("task_id", "20-2020-001", "department_code", "20", "plan_year", 2020, "task_group", "PLAN",
                        "task_name", "Kế hoạch cải cách hành chính", "owner_unit", "Văn phòng", "due_date", "2020-01-31",
                        "status", "COMPLETED", "completed_on", "2020-01-20"))), null);
        silver(wh, "satisfaction_ratings", table(spark(), SilverFixtures.SATISFACTION_RATINGS, List.of(
                GoldMartsTest.rating("R1", "2020-05-12T09:00:00+07:00", 5, 4, 4, 4),
                GoldMartsTest.rating("R2", "2020-05-13T09:00:00+07:00", 5, 3, 4, 3))), "rated_year");
        silver(wh, "revenue", table(spark(), SilverFixtures.REVENUE, List.of(
                row("office_code", "20CF", "department_code", "20", "collected_on", "2020-09-01", "year", 2020,
                        "month", 9, "revenue_vnd", "9259000000000"))), null);
    }

    /** Every gold table's rows as sorted strings, for comparing whole contents between runs. */
    private Map<String, List<String>> snapshot(Warehouse wh) {
        Map<String, List<String>> out = new TreeMap<>();
        for (GoldMartsStage.Mart m : GoldMartsStage.MARTS) {
            if (!wh.exists(spark(), Layer.GOLD, m.table())) continue;
            out.put(m.table(), wh.read(spark(), Layer.GOLD, m.table()).collectAsList().stream()
                    .map(Row::toString).sorted().collect(Collectors.toList()));
        }
        return out;
    }

    private static Map<String, TableWrite> byTable(List<TableWrite> writes) {
        return writes.stream().collect(Collectors.toMap(TableWrite::table, w -> w));
    }

    @Test
    void rerunsAreIdempotentReplaceOnlyTheirYearsAndKeepThePublishedMismatch(@TempDir Path dir) {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        writeSilver(wh);
        GoldMartsStage stage = new GoldMartsStage();
        assertEquals("gold.marts", stage.name());
        RunContext base = new RunContext(spark(), cfg, wh, "run-1", "test", null, null, Set.of());

        // An earlier backfill of 2019 (writes 2019 and 2020), then the nightly run for 2020 twice.
        stage.run(base.withAffectedYears(Set.of(2019)));
        Map<String, TableWrite> first = byTable(stage.run(base.withAffectedYears(Set.of(2020))));
        Map<String, List<String>> afterFirst = snapshot(wh);
        Map<String, TableWrite> second = byTable(stage.run(base.withAffectedYears(Set.of(2020))));
        Map<String, List<String>> afterSecond = snapshot(wh);

        assertEquals(afterFirst, afterSecond, "a re-run of the same years leaves every gold table identical");
        assertEquals(9, afterSecond.size(), "nine marts written; revenue_monthly skipped: " + afterSecond.keySet());

        TableWrite skipped = second.get("gold.revenue_monthly");
        assertEquals(-1L, skipped.version(), "revenue_monthly skipped (silver.revenue_targets missing): nothing committed");
        assertFalse(wh.exists(spark(), Layer.GOLD, "revenue_monthly"), "a skipped mart writes no table");
        for (String t : afterSecond.keySet()) {
            TableWrite a = first.get("gold." + t), b = second.get("gold." + t);
            assertEquals(a.version() + 1, b.version(), t + ": each run commits exactly one version");
            assertEquals(wh.version(spark(), Layer.GOLD, t), b.version(), t + ": the reported version is the table's latest");
        }
        assertEquals(1L, second.get("gold.reform_tasks").rowsLoaded(), "reform_tasks: one task");
        assertEquals(1L, second.get("gold.satisfaction_followup").rowsLoaded(), "follow-up: R2 (team level 3) only");

        Dataset<Row> decl = wh.read(spark(), Layer.GOLD, "declarations_monthly");
        assertEquals(List.of(2019, 2020, 2021), decl.select("year").distinct().orderBy("year")
                        .collectAsList().stream().map(r -> r.getInt(0)).toList(),
                "2019 kept from the backfill, 2020 and 2021 rewritten by the 2020 runs");
        Row may2020 = decl.where("year = 2020 AND month = 5").head();
        assertEquals(2L, may2020.getLong(may2020.fieldIndex("declarations")), "two declarations in May 2020");
        assertEquals(1L, may2020.getLong(may2020.fieldIndex("prev_year_declarations")),
                "May 2019 read for the previous year although only 2020 was recomputed");
        Row detail = spark().sql("DESCRIBE DETAIL delta.`" + wh.path(Layer.GOLD, "declarations_monthly") + "`").head();
        assertEquals(List.of("year"), detail.getList(detail.fieldIndex("partitionColumns")),
                "monthly marts are partitioned by year");
        Map<String, List<String>> partitions = vn.customs.cw.pipeline.WarehouseSnapshot.partitionColumns(spark(), cfg.paths().warehouse());
        assertEquals(List.of("year:integer"), partitions.get("gold/declarations_monthly"), "partition types read: " + partitions);
        partitions.forEach((t, cols) -> org.junit.jupiter.api.Assertions.assertTrue(cols.stream().noneMatch(c -> c.endsWith(":timestamp")),
                t + " is partitioned by a timestamp " + cols + ": Sparks.DELTA's non-UTC checksum setting is then unsafe"));

        Row nsw = wh.read(spark(), Layer.GOLD, "nsw_monthly").where("year = 2020 AND month = 1").head();
        assertEquals(1L, nsw.getLong(nsw.fieldIndex("declarations_with_result")),
                "a result in January 2020 of a dossier submitted in December 2019 counts in January 2020");

        Row sept = wh.read(spark(), Layer.GOLD, "admin_dossiers_monthly").where("year = 2020 AND month = 9").head();
        assertEquals(Boolean.FALSE, sept.get(sept.fieldIndex("is_reported_consistent")),
                "127258 ≠ 119910 + 7329: the published report does not add up");
        String note = sept.getString(sept.fieldIndex("reconciliation_note"));
        org.junit.jupiter.api.Assertions.assertTrue(note.contains("reported 127258 ≠ online 119910 + in person/post 7329 (diff 19)"),
                "the note names the mismatch and its size: " + note);
        assertEquals(1L, sept.getLong(sept.fieldIndex("prev_year_counted_total")), "September 2019: one dossier");
        assertNotEquals(null, sept.get(sept.fieldIndex("reported_in_person_or_post")), "reported figure kept as filed");
    }

    /** A MERGE into a silver table the way a night's load does it (latest update wins, change feed on). */
    private void load(Warehouse wh, String table, Dataset<Row> rows, List<String> keys, String partition, String updatedAt) {
        vn.customs.cw.ops.Tables.merge(spark(), wh, Layer.SILVER, table, rows, keys, partition,
                partition == null ? List.of() : rows.select(partition).distinct().collectAsList().stream().map(r -> r.get(0)).toList(),
                updatedAt, false, null, true);
    }

    private static Map<String, Object> declUpdated(String no, String office, String date, boolean cancelled, String updatedAt) {
        Map<String, Object> r = new java.util.LinkedHashMap<>(decl(no, office, date, cancelled));
        r.put("updated_at", updatedAt);
        return r;
    }

    /** The fixture's silver with every gold mart built by a backfill of 2019–2021; {@link #night} runs after it. */
    private record Built(Warehouse wh, GoldMartsStage stage, RunContext backfill) {
        /** The night of 3 February 2021 (a short run) whose loads touched {@code years}. */
        RunContext night(Set<Integer> years) {
            java.time.LocalDate d = java.time.LocalDate.of(2021, 2, 3);
            return new RunContext(backfill.spark(), backfill.config(), wh, "run-2", "nightly", d, d, years);
        }
    }

    private Built backfilled(Path dir) {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        writeSilver(wh);
        GoldMartsStage stage = new GoldMartsStage();
        RunContext backfill = new RunContext(spark(), cfg, wh, "run-1", "backfill", null, null, Set.of(2019, 2020, 2021));
        stage.run(backfill);
        return new Built(wh, stage, backfill);
    }

    @Test
    void aNightRewritesOnlyTheMonthsItsChangesTouchAndEqualsAFullRebuild(@TempDir Path dir) {
        Built built = backfilled(dir);
        Warehouse wh = built.wh();
        GoldMartsStage stage = built.stage();
        RunContext backfill = built.backfill();
        RunContext nightly = built.night(Set.of(2020, 2021));
        long emanifestBefore = wh.version(spark(), Layer.GOLD, "emanifest_monthly");

        // The night: declaration 2 is corrected from May into June 2020 (its May row must lose it,
        // and May 2021's previous-year figure with it), a new one lands in February 2021, and the
        // NSW dossier's result is corrected from January into February 2020.
        load(wh, "declarations", table(spark(), SilverFixtures.DECLARATIONS, List.of(
                declUpdated("104000000002", "20CF", "2020-06-02", false, "2021-02-03T10:00:00+07:00"),
                declUpdated("104000000005", "20CF", "2021-02-03", false, "2021-02-03T10:00:00+07:00"))),
                List.of("declaration_no"), "registration_year", null); // the fixture's rows carry no update time
        load(wh, "nsw_dossiers", table(spark(), SilverFixtures.NSW_DOSSIERS, List.of(
                row("dossier_no", "N1", "declaration_no", "104000000002", "office_code", "20BB", "department_code", "20",
                        "agency_code", "BYT", "procedure_code", "BYT-01", "submitted_at", "2019-12-30T08:00:00+07:00",
                        "submitted_year", 2019, "result_at", "2020-02-04T08:00:00+07:00", "result", "PASS"))),
                List.of("dossier_no"), "submitted_year", null);
        Map<String, TableWrite> writes = byTable(stage.run(nightly));
        Map<String, List<String>> afterNight = snapshot(wh);

        assertEquals("(year = 2020 AND month IN (5, 6)) OR (year = 2021 AND month IN (2, 5, 6)) OR (year = 2022 AND month IN (2))",
                writes.get("gold.declarations_monthly").checkScope(),
                "declarations_monthly: the months the corrected and the new declaration left or entered, and a year later");
        assertEquals("(year = 2019 AND month IN (12)) OR (year = 2020 AND month IN (1, 2, 12)) OR (year = 2021 AND month IN (1, 2))",
                writes.get("gold.nsw_monthly").checkScope(),
                "nsw_monthly: the dossier's month of submission, its result's old and new month, and a year later");
        assertEquals(-1L, writes.get("gold.emanifest_monthly").version(), "emanifest: no change, no commit");
        assertEquals(emanifestBefore, wh.version(spark(), Layer.GOLD, "emanifest_monthly"), "emanifest_monthly untouched");
        Row may = wh.read(spark(), Layer.GOLD, "declarations_monthly").where("year = 2020 AND month = 5").head();
        assertEquals(1L, may.getLong(may.fieldIndex("declarations")), "May 2020 keeps only the cancelled declaration 3");

        // The same silver rebuilt from nothing, whole years: the night's months must equal it, row for row.
        Map<String, TableWrite> again = byTable(stage.run(nightly));
        assertEquals(-1L, again.get("gold.declarations_monthly").version(), "a re-run of the night finds nothing new to read");
        org.apache.commons.io.FileUtils.deleteQuietly(new java.io.File(wh.path(Layer.GOLD, "")));
        stage.run(backfill);
        assertEquals(snapshot(wh), afterNight, "the night's months give the tables a full rebuild gives");
    }

    @Test
    void aMartWrittenByAReleaseWithOtherColumnsIsRebuiltWholeOnceThenNightsAreIncrementalAgain(@TempDir Path dir) {
        Built built = backfilled(dir);
        Warehouse wh = built.wh();
        Map<String, List<String>> current = snapshot(wh);
        // An older release's declarations_monthly: one column fewer, and no recorded read (a hand-made table).
        String path = wh.path(Layer.GOLD, "declarations_monthly");
        Dataset<Row> old = wh.read(spark(), Layer.GOLD, "declarations_monthly");
        String dropped = old.columns()[old.columns().length - 1];
        old.drop(dropped).localCheckpoint().write().format("delta").mode("overwrite")
                .option("partitionOverwriteMode", "static").option("overwriteSchema", "true")
                .partitionBy("year").save(path);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.asList(wh.read(spark(), Layer.GOLD, "declarations_monthly").columns()).contains(dropped),
                "the fixture: the old table lacks " + dropped);

        // A night that changes one month of 2021: with the old columns, a replaceWhere of that month fails.
        load(wh, "declarations", table(spark(), SilverFixtures.DECLARATIONS, List.of(
                declUpdated("104000000005", "20CF", "2021-02-03", false, "2021-02-03T10:00:00+07:00"))),
                List.of("declaration_no"), "registration_year", null);
        Map<String, TableWrite> writes = byTable(built.stage().run(built.night(Set.of(2021))));
        assertEquals(null, writes.get("gold.declarations_monthly").checkScope(),
                "rebuilt whole: every year is checked, not the night's months");
        org.junit.jupiter.api.Assertions.assertTrue(java.util.Arrays.asList(wh.read(spark(), Layer.GOLD, "declarations_monthly").columns()).contains(dropped),
                "the table has this release's columns again, " + dropped + " included");
        assertEquals(Map.of("declarations", wh.version(spark(), Layer.SILVER, "declarations")),
                GoldMartsStage.lastRead(spark(), path).orElseThrow(), "the rebuild records the silver version it read");
        Map<String, List<String>> afterNight = snapshot(wh);
        org.junit.jupiter.api.Assertions.assertNotEquals(current.get("declarations_monthly"), afterNight.get("declarations_monthly"),
                "the night's new declaration is in the rebuilt table");

        // The next night is incremental again, and every table equals a full rebuild of the same silver.
        load(wh, "declarations", table(spark(), SilverFixtures.DECLARATIONS, List.of(
                declUpdated("104000000006", "20CF", "2021-02-04", false, "2021-02-04T10:00:00+07:00"))),
                List.of("declaration_no"), "registration_year", null);
        Map<String, TableWrite> next = byTable(built.stage().run(built.night(Set.of(2021))));
        assertEquals("(year = 2021 AND month IN (2)) OR (year = 2022 AND month IN (2))",
                next.get("gold.declarations_monthly").checkScope(), "the columns match now: only the changed month and a year later");
        Map<String, List<String>> afterNext = snapshot(wh);
        org.apache.commons.io.FileUtils.deleteQuietly(new java.io.File(wh.path(Layer.GOLD, "")));
        built.stage().run(built.backfill());
        assertEquals(snapshot(wh), afterNext, "the rebuilt mart and the night after it give the tables a full rebuild gives");
    }

    @Test
    void aMartWithoutItsRecordedReadFallsBackToWholeYearsAndMaintenanceDoesNotHideTheRecord(@TempDir Path dir) {
        Built built = backfilled(dir);
        Warehouse wh = built.wh();
        // Maintenance on one mart (no data change), a hand fix on another (data changed, nothing recorded).
        spark().sql("OPTIMIZE delta.`" + wh.path(Layer.GOLD, "declarations_monthly") + "`");
        spark().sql("UPDATE delta.`" + wh.path(Layer.GOLD, "emanifest_monthly") + "` SET movements = movements WHERE year = 2020");
        load(wh, "declarations", table(spark(), SilverFixtures.DECLARATIONS, List.of(
                declUpdated("104000000005", "20CF", "2021-02-03", false, "2021-02-03T10:00:00+07:00"))),
                List.of("declaration_no"), "registration_year", null);
        load(wh, "emanifest", table(spark(), SilverFixtures.EMANIFEST, List.of(
                row("manifest_no", "E2", "office_code", "20CF", "department_code", "20", "vehicle_type", "SHIP",
                        "movement", "EXIT", "vehicle_id", "IMO9354387", "declared_at", "2021-02-03T06:00:00+07:00",
                        "declared_year", 2021))), List.of("manifest_no"), "declared_year", null);
        // A feed turned off over the night's versions (cw.etl.month-marts was false for a while).
        String co = wh.path(Layer.SILVER, "certificates_of_origin");
        spark().sql("ALTER TABLE delta.`" + co + "` SET TBLPROPERTIES ('" + vn.customs.cw.ops.Tables.CHANGE_FEED + "' = 'false')");
        vn.customs.cw.ops.Tables.merge(spark(), wh, Layer.SILVER, "certificates_of_origin", table(spark(),
                SilverFixtures.CERTIFICATES_OF_ORIGIN, List.of(row("co_no", "C2", "form", "D", "is_electronic", true,
                        "exporting_country", "TH", "office_code", "20CF", "department_code", "20",
                        "received_at", "2021-02-03T09:00:00+07:00", "received_year", 2021))),
                List.of("co_no"), "received_year", List.of(2021), null, false, null, false);
        Map<String, TableWrite> writes = byTable(built.stage().run(built.night(Set.of(2021))));
        assertEquals("year IN (2021, 2022)", writes.get("gold.co_monthly").checkScope(),
                "no change feed over the versions since the recorded read: whole affected years, not a failed stage");
        Row coFeb = wh.read(spark(), Layer.GOLD, "co_monthly").where("year = 2021 AND month = 2").head();
        assertEquals(1L, coFeb.getLong(coFeb.fieldIndex("certificates")), "the new certificate counted in February 2021");
        assertEquals("(year = 2021 AND month IN (2)) OR (year = 2022 AND month IN (2))",
                writes.get("gold.declarations_monthly").checkScope(), "OPTIMIZE in between: the recorded read still holds");
        assertEquals("year IN (2021, 2022)", writes.get("gold.emanifest_monthly").checkScope(),
                "a data change that recorded no read: whole affected years, as before the change feed");
        Row feb = wh.read(spark(), Layer.GOLD, "emanifest_monthly").where("year = 2021 AND month = 2").head();
        assertEquals(1L, feb.getLong(feb.fieldIndex("movements")), "the new movement counted in February 2021");
        assertEquals(Map.of("declarations", wh.version(spark(), Layer.SILVER, "declarations")),
                GoldMartsStage.lastRead(spark(), wh.path(Layer.GOLD, "declarations_monthly")).orElseThrow(),
                "the night's commit records the version of silver.declarations it read");
    }
}
