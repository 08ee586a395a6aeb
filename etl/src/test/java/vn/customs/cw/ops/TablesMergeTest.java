package vn.customs.cw.ops;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TablesMergeTest extends SparkTestBase {

    private Dataset<Row> event(String updatedAt, String eventAt, int year) {
        return spark().sql("SELECT '107670200009' AS declaration_no, 'RELEASE' AS milestone, "
                + "timestamp'" + eventAt + "' AS event_at, " + year + " AS event_year, "
                + "timestamp'" + updatedAt + "' AS recorded_at");
    }

    @Test
    void aKeyReSentIntoTheNextYearPartitionReplacesItsRowInsteadOfDuplicatingIt(@TempDir Path dir) {
        Warehouse wh = new Warehouse(dir.toString());
        List<String> keys = List.of("declaration_no", "milestone");
        Tables.merge(spark(), wh, Layer.SILVER, "events", event("2020-12-31 23:21:00", "2020-12-31 23:20:00", 2020),
                keys, "event_year", List.of(2020), "recorded_at", true, null);
        // The corrected event crosses 1 January: its partition value changes from 2020 to 2021.
        Tables.merge(spark(), wh, Layer.SILVER, "events", event("2021-01-01 00:23:00", "2021-01-01 00:22:00", 2021),
                keys, "event_year", List.of(2021), "recorded_at", true, null);
        List<Row> rows = wh.read(spark(), Layer.SILVER, "events").collectAsList();
        assertEquals(1, rows.size(), "one row per (declaration_no, milestone), whatever its year partition");
        assertEquals(2021, rows.get(0).getInt(rows.get(0).fieldIndex("event_year")), "the newer version won");
        // Re-sending the older version changes nothing: the newer update time wins.
        Tables.merge(spark(), wh, Layer.SILVER, "events", event("2020-12-31 23:21:00", "2020-12-31 23:20:00", 2020),
                keys, "event_year", List.of(2020), "recorded_at", true, null);
        List<Row> again = wh.read(spark(), Layer.SILVER, "events").collectAsList();
        assertEquals(1, again.size(), "still one row after the stale version is re-sent");
        assertEquals(2021, again.get(0).getInt(again.get(0).fieldIndex("event_year")), "the stale version did not win");
    }

    /**
     * Deletion vectors: updating one of two rows in a file writes the new version and marks the old
     * one deleted; without them Delta copies the untouched row into a new file.
     */
    @Test
    void withDeletionVectorsAnUpdateCopiesNoOtherRow(@TempDir Path dir) {
        Warehouse wh = new Warehouse(dir.toString());
        List<String> keys = List.of("declaration_no", "milestone");
        for (boolean dv : new boolean[]{true, false}) {
            String t = "events_dv_" + dv;
            Tables.merge(spark(), wh, Layer.SILVER, t, event("2020-05-12 08:00:00", "2020-05-12 08:00:00", 2020)
                    .unionByName(event("2020-05-12 09:00:00", "2020-05-12 09:00:00", 2020).withColumn("milestone", org.apache.spark.sql.functions.lit("CLEARANCE")))
                            .coalesce(1), // both rows in one file
                    keys, "event_year", List.of(2020), "recorded_at", dv, null);
            Tables.merge(spark(), wh, Layer.SILVER, t, event("2020-05-12 08:30:00", "2020-05-12 10:00:00", 2020),
                    keys, "event_year", List.of(2020), "recorded_at", dv, null);
            assertEquals(2, wh.read(spark(), Layer.SILVER, t).count(), t + ": still two rows");
            Row last = spark().sql("DESCRIBE HISTORY delta.`" + wh.path(Layer.SILVER, t) + "` LIMIT 1").head();
            assertEquals("MERGE", last.getAs("operation"), t + ": last commit");
            java.util.Map<String, String> m = last.getJavaMap(last.fieldIndex("operationMetrics"));
            assertEquals("1", m.get("numTargetRowsUpdated"), t + ": one row updated " + m);
            assertEquals(dv ? "0" : "1", m.get("numTargetRowsCopied"), t + ": rows copied to rewrite the file " + m);
            assertEquals(dv ? "1" : "0", m.get("numTargetDeletionVectorsAdded"), t + ": the old version marked deleted " + m);
            assertEquals(dv, Tables.hasDeletionVectors(spark(), wh.path(Layer.SILVER, t)), t + ": table property");
        }
    }

    private Dataset<Row> decl(String no, String updatedAt, String office) {
        return spark().sql("SELECT '" + no + "' AS declaration_no, '" + office + "' AS office_code, 2020 AS registration_year, "
                + "timestamp'" + updatedAt + "' AS updated_at");
    }

    /**
     * A clustered table: the MERGE with the source's key ranges updates the newer versions, keeps the
     * older ones, inserts the new keys (an import and an export, outside every existing range); re-running
     * the same source changes nothing.
     */
    @Test
    void aClusteredMergeUpdatesNewerVersionsAndInsertsNewKeys(@TempDir Path dir) {
        Warehouse wh = new Warehouse(dir.toString());
        String t = "declarations";
        List<String> key = List.of("declaration_no");
        vn.customs.cw.contracts.Clustering c = vn.customs.cw.contracts.Clustering.DECLARATION_NO;
        Tables.merge(spark(), wh, Layer.SILVER, t, decl("107640000001", "2020-12-20 08:00:00", "20CF")
                .unionByName(decl("107640000002", "2020-12-20 08:00:00", "20CF")), key, "registration_year", List.of(2020), "updated_at", false, c);
        Dataset<Row> night = decl("107640000001", "2020-12-21 09:00:00", "20BB")          // newer: updated
                .unionByName(decl("107640000002", "2020-12-19 09:00:00", "20BB"))         // older: ignored
                .unionByName(decl("107641000003", "2020-12-21 09:00:00", "20CF"))         // new import
                .unionByName(decl("307641000004", "2020-12-21 09:00:00", "20CF"));        // new export
        for (int run = 1; run <= 2; run++) {
            Tables.merge(spark(), wh, Layer.SILVER, t, night, key, "registration_year", List.of(2020), "updated_at", false, c);
            java.util.Map<String, String> office = new java.util.TreeMap<>();
            for (Row r : wh.read(spark(), Layer.SILVER, t).collectAsList()) {
                org.junit.jupiter.api.Assertions.assertNull(office.put(r.getAs("declaration_no"), r.getAs("office_code")),
                        "run " + run + ": one row per key, " + r);
            }
            assertEquals(java.util.Map.of("107640000001", "20BB", "107640000002", "20CF", "107641000003", "20CF", "307641000004", "20CF"),
                    office, "run " + run + ": the newer version won, the older one did not, the new keys are in");
        }
        List<Row> history = spark().sql("DESCRIBE HISTORY delta.`" + wh.path(Layer.SILVER, t) + "`").orderBy("version").collectAsList();
        assertEquals(List.of("WRITE", "MERGE", "MERGE"), history.stream().map(r -> r.<String>getAs("operation")).toList(),
                "create, then one MERGE per run");
        java.util.Map<String, String> m = history.get(1).getJavaMap(history.get(1).fieldIndex("operationMetrics"));
        assertEquals("1", m.get("numTargetRowsUpdated"), "only the newer version updated: " + m);
        assertEquals("2", m.get("numTargetRowsInserted"), "the two new keys inserted: " + m);
        java.util.Map<String, String> rerun = history.get(2).getJavaMap(history.get(2).fieldIndex("operationMetrics"));
        assertEquals("0", rerun.get("numTargetRowsUpdated"), "the re-run's versions are not newer: " + rerun);
        assertEquals("0", rerun.get("numTargetRowsInserted"), "the re-run inserts nothing: " + rerun);
        String predicate = history.get(2).<String, String>getJavaMap(history.get(2).fieldIndex("operationParameters")).get("predicate");
        org.junit.jupiter.api.Assertions.assertTrue(predicate.contains("107640000001") && predicate.contains("307641000004"),
                "the MERGE condition names the source's key ranges: " + predicate);
    }
}
