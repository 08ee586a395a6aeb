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
                keys, "event_year", List.of(2020), "recorded_at", true);
        // The corrected event crosses 1 January: its partition value changes from 2020 to 2021.
        Tables.merge(spark(), wh, Layer.SILVER, "events", event("2021-01-01 00:23:00", "2021-01-01 00:22:00", 2021),
                keys, "event_year", List.of(2021), "recorded_at", true);
        List<Row> rows = wh.read(spark(), Layer.SILVER, "events").collectAsList();
        assertEquals(1, rows.size(), "one row per (declaration_no, milestone), whatever its year partition");
        assertEquals(2021, rows.get(0).getInt(rows.get(0).fieldIndex("event_year")), "the newer version won");
        // Re-sending the older version changes nothing: the newer update time wins.
        Tables.merge(spark(), wh, Layer.SILVER, "events", event("2020-12-31 23:21:00", "2020-12-31 23:20:00", 2020),
                keys, "event_year", List.of(2020), "recorded_at", true);
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
                    keys, "event_year", List.of(2020), "recorded_at", dv);
            Tables.merge(spark(), wh, Layer.SILVER, t, event("2020-05-12 08:30:00", "2020-05-12 10:00:00", 2020),
                    keys, "event_year", List.of(2020), "recorded_at", dv);
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
}
