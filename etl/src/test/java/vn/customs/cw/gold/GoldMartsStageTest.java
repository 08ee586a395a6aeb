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
        var w = df.write().format("delta").mode("overwrite");
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
}
