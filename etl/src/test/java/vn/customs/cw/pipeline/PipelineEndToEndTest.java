package vn.customs.cw.pipeline;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.ops.RunLog;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import org.junit.jupiter.api.Assertions;
import static org.junit.jupiter.api.Assertions.*;
import static vn.customs.cw.pipeline.Landing.decl;
import static vn.customs.cw.pipeline.Landing.event;

class PipelineEndToEndTest extends SparkTestBase {
    static final LocalDate D1 = LocalDate.of(2020, 5, 11);
    static final LocalDate D2 = LocalDate.of(2020, 5, 12);

    RunContext ctx(Path dir, LocalDate from, LocalDate to) {
        CwConfig cfg = testConfig(dir);
        return new RunContext(spark(), cfg, new Warehouse(cfg.paths().warehouse()), Pipeline.newRunId("test"), "test", from, to, Set.of());
    }

    Pipeline.Result nightly(Path dir, LocalDate day) {
        return Pipeline.run(ctx(dir, day, day), List.of(), System.out);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Day 1: good rows, one of each bad case, an empty file and a file with a wrong header. */
    static void landDay1(Path landing) {
        Landing.write(landing, Source.DECLARATIONS, D1, List.of(
                decl("104000000001", "A11", "20CF", "2", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"),
                decl("104000000001", "A11", "20CF", "3D", "2020-05-11T08:00:00+07:00", "2020-05-11T10:00:00+07:00"),
                decl("300000000002", "B11", "20BB", "1", "2020-05-11T08:30:00+07:00", "2020-05-11T08:31:00+07:00"),
                decl("300000000002", "B11", "20BB", "1", "2020-05-11T08:30:00+07:00", "2020-05-11T08:31:00+07:00"), // DUPLICATE_KEY
                decl("104000000003", "A11", "99XX", "1", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"), // UNKNOWN_OFFICE
                decl("104000000004", "Z99", "20CF", "1", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"), // UNKNOWN_TYPE_CODE
                decl("104000000005", "B11", "20CF", "1", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"), // DIRECTION_MISMATCH
                decl("104000000006", "A11", "20CF", "7", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"), // UNKNOWN_CODE
                decl("104000000007", "A11", "20CF", "1", "2020-05-11 08:00", "2020-05-11T09:00:00+07:00"),          // BAD_VALUE
                decl("", "A11", "20CF", "1", "2020-05-11T08:00:00+07:00", "2020-05-11T09:00:00+07:00"),              // MISSING_REQUIRED
                "104000000008,A11,20CF,01",                                                                          // WRONG_COLUMN_COUNT
                "104000000009,\"A11,20CF"                                                                            // MALFORMED_LINE
        ));
        // A line with an invalid UTF-8 byte (0xFF) appended to the file as raw bytes.
        try {
            byte[] existing = java.nio.file.Files.readAllBytes(Landing.file(landing, Source.DECLARATIONS, D1));
            byte[] bad = "104000000011,A11,20CF,01,5700100256,C\u00f4ng ty,4,1,0,2020-05-11T08:00:00+07:00,,,,,2020-05-11T09:00:00+07:00"
                    .getBytes(StandardCharsets.UTF_8);
            bad[bad.length - 30] = (byte) 0xFF;
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            o.write(existing);
            o.write(bad);
            o.write('\n');
            Landing.writeBytes(landing, Source.DECLARATIONS, D1, o.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Landing.write(landing, Source.DECLARATION_EVENTS, D1, List.of(
                event("104000000001", "ARRIVAL", "2020-05-11T07:00:00+07:00", null, "2020-05-11T07:00:01+07:00"),
                event("104000000001", "REGISTRATION", "2020-05-11T08:00:00+07:00", null, "2020-05-11T08:00:01+07:00"),
                event("104000000001", "CHANNEL_ASSIGNED", "2020-05-11T08:01:00+07:00", "2", "2020-05-11T08:01:01+07:00"),
                event("104000000001", "CHANNEL_CHANGED", "2020-05-11T08:30:00+07:00", "3", "2020-05-11T08:30:01+07:00"),
                event("104000000001", "DOC_CHECK_START", "2020-05-11T07:30:00+07:00", null, "2020-05-11T07:30:01+07:00"), // before REGISTRATION
                event("104000000001", "RELEASE", "2020-05-11T12:00:00+07:00", null, "2020-05-11T12:00:01+07:00"),
                event("104000000001", "CLEARANCE", "2020-05-11T11:00:00+07:00", null, "2020-05-11T11:00:01+07:00"),      // before RELEASE
                event("300000000002", "REGISTRATION", "2020-05-11T08:30:00+07:00", null, "2020-05-11T08:30:01+07:00"),
                event("300000000002", "CHANNEL_ASSIGNED", "2020-05-11T08:31:00+07:00", "1", "2020-05-11T08:31:01+07:00"),
                event("300000000002", "RELEASE", "2020-05-11T08:40:00+07:00", null, "2020-05-11T08:40:01+07:00")));
        Landing.writeBytes(landing, Source.REVENUE, D1, new byte[0]);
        Landing.writeBytes(landing, Source.EMANIFEST, D1, ("manifest_no,office_code,vehicle\n"
                + "EM1,20CF,SHIP\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nightlyLoadsQuarantinesEveryBadCaseAndRerunChangesNothing(@TempDir Path dir) {
        landDay1(dir.resolve("landing"));
        Pipeline.Result r1 = nightly(dir, D1);
        var wh = new Warehouse(dir.resolve("warehouse").toString());

        // Quarantine: every bad case with its reason.
        Map<String, String> reasons = new HashMap<>();
        for (Row q : wh.read(spark(), Layer.OPS, "quarantine").filter(col("source").equalTo("declarations"))
                .select("record_no", "reason_code").collectAsList()) {
            reasons.put(String.valueOf(q.getLong(0)), q.getString(1));
        }
        Map<String, String> expected = new HashMap<>(Map.of("5", "DUPLICATE_KEY", "6", "UNKNOWN_OFFICE", "7", "UNKNOWN_TYPE_CODE",
                "8", "DIRECTION_MISMATCH", "9", "UNKNOWN_CODE", "10", "BAD_VALUE", "11", "MISSING_REQUIRED",
                "12", "WRONG_COLUMN_COUNT", "13", "MALFORMED_LINE", "14", "NOT_UTF8"));
        assertEquals(expected, reasons, "each bad declaration line is quarantined with its reason (key: line number)");
        List<String> eventReasons = wh.read(spark(), Layer.OPS, "quarantine").filter(col("source").equalTo("declaration_events"))
                .select("reason_code", "raw_text").collectAsList().stream().map(x -> x.getString(0) + " " + x.getString(1).split(",")[2]).sorted().toList();
        assertEquals(List.of("STEP_OUT_OF_ORDER CLEARANCE", "STEP_OUT_OF_ORDER DOC_CHECK_START"), eventReasons,
                "a step before REGISTRATION and a CLEARANCE before RELEASE are rejected");
        List<Row> emanifest = wh.read(spark(), Layer.OPS, "quarantine").filter(col("source").equalTo("emanifest")).collectAsList();
        assertEquals(1, emanifest.size(), "the data line of a file with a wrong header is quarantined");
        assertEquals("BAD_HEADER", emanifest.get(0).getAs("reason_code"));

        // Silver: the later version of 104000000001 wins; the duplicate is loaded once.
        List<Row> d = wh.read(spark(), Layer.SILVER, "declarations").orderBy("declaration_no").collectAsList();
        assertEquals(List.of("104000000001", "300000000002"), d.stream().map(x -> x.<String>getAs("declaration_no")).toList(),
                "only the two valid declarations reach silver");
        assertEquals("3", d.get(0).getAs("channel_code"), "the version updated at 10:00 wins over 09:00");
        assertEquals("3D", d.get(0).getAs("channel_raw"), "channel as sent is kept");
        assertEquals("IMPORT", d.get(0).getAs("direction"));
        assertEquals("Công ty TNHH Hạ Long, chi nhánh", d.get(0).getAs("enterprise_name"), "quoted UTF-8 text survives");
        assertEquals(2020, (int) d.get(0).getAs("registration_year"));

        Row m = wh.read(spark(), Layer.SILVER, "declaration_milestones").filter(col("declaration_no").equalTo("104000000001")).head();
        assertEquals("2", m.getAs("initial_channel"));
        assertEquals("3", m.getAs("final_channel"));
        Assertions.assertTrue((Boolean) m.getAs("is_channel_switched"), "yellow to red is a switch");
        assertEquals(5L, (long) m.getAs("event_count"), "7 events minus the 2 out of order");
        assertNull(m.getAs("cleared_at"), "the out-of-order CLEARANCE was not loaded");
        assertEquals("CUSTOMS", m.getAs("release_actor"));
        Assertions.assertTrue((Boolean) m.getAs("is_in_order"));

        // Run log: rows in = loaded + quarantined per source, end to end; failures named.
        Map<String, RunLog.Entry> byTable = r1.entries().stream().filter(e -> e.table() != null)
                .collect(Collectors.toMap(e -> e.stage() + "|" + e.table(), e -> e));
        RunLog.Entry bronze = byTable.get("source:declarations|bronze.declarations");
        RunLog.Entry silver = byTable.get("source:declarations|silver.declarations");
        assertEquals(13, bronze.rowsIn(), "13 data lines (lines 2..14) in the declarations file");
        assertEquals(3, bronze.rowsQuarantined(), "wrong column count, malformed, not UTF-8");
        assertEquals(bronze.rowsLoaded(), silver.rowsIn(), "silver reads what bronze loaded");
        assertEquals(3, silver.rowsLoaded(), "two versions of 104000000001 and the first copy of 300000000002");
        assertEquals(bronze.rowsIn(), silver.rowsLoaded() + bronze.rowsQuarantined() + silver.rowsQuarantined(),
                "invariant: lines read = loaded + quarantined");
        long qRows = wh.read(spark(), Layer.OPS, "quarantine").filter(col("source").equalTo("declarations")).count();
        assertEquals(bronze.rowsQuarantined() + silver.rowsQuarantined(), qRows, "quarantine holds every rejected line");
        Assertions.assertTrue(r1.failed(), "the emanifest header failure fails the run");
        RunLog.Entry em = r1.entries().stream().filter(e -> e.stage().equals("source:emanifest")).findFirst().orElseThrow();
        assertEquals(RunLog.FAILED, em.status());
        Assertions.assertTrue(em.error().contains("header"), "the failure says why: " + em.error());
        RunLog.Entry rev = r1.entries().stream().filter(e -> e.stage().equals("source:revenue")).findFirst().orElseThrow();
        assertEquals(RunLog.SKIPPED, rev.status(), "an empty file is recorded, not a crash");
        Assertions.assertTrue(rev.error().contains("empty landing file"), rev.error());
        RunLog.Entry nsw = r1.entries().stream().filter(e -> e.stage().equals("source:nsw_dossiers")).findFirst().orElseThrow();
        Assertions.assertTrue(nsw.error().contains("no landing folder"), "a missing folder is recorded: " + nsw.error());
        assertEquals(RunLog.SUCCEEDED, silver.status(), "declarations succeeded although emanifest failed");
        assertEquals(Set.of(2020), r1.affectedYears(), "affected years of the run");
        Assertions.assertTrue(wh.read(spark(), Layer.OPS, "run_log").count() > 10, "the run log is written");
        Assertions.assertTrue(wh.read(spark(), Layer.OPS, "check_results").filter(col("table_name").equalTo("silver.declarations")).count() > 5,
                "checks ran on silver.declarations");
        Map<String, List<String>> partitions = WarehouseSnapshot.partitionColumns(spark(), dir.resolve("warehouse").toString());
        assertEquals(List.of("registration_year:integer"), partitions.get("silver/declarations"),
                "silver was written and its partition types are read: " + partitions);
        partitions.forEach((t, cols) -> Assertions.assertTrue(cols.stream().noneMatch(c -> c.endsWith(":timestamp")),
                t + " is partitioned by a timestamp " + cols + ": Sparks.DELTA's non-UTC checksum setting is then unsafe"));

        Map<String, List<String>> before = WarehouseSnapshot.of(spark(), dir.resolve("warehouse").toString());
        nightly(dir, D1);
        Map<String, List<String>> after = WarehouseSnapshot.of(spark(), dir.resolve("warehouse").toString());
        assertEquals(before.keySet(), after.keySet(), "same tables after a re-run");
        for (String t : before.keySet()) assertEquals(before.get(t), after.get(t), "re-running the day leaves " + t + " unchanged");
    }
}
