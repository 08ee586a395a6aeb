package vn.customs.cw.ops;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.contracts.Clustering;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/** A run's key ranges cover every key it holds, and a MERGE given them reads only the files they can match. */
class KeyRangesTest extends SparkTestBase {

    private Dataset<Row> keys(List<String> nos) {
        return spark().createDataset(nos, Encoders.STRING()).toDF("declaration_no");
    }

    @Test
    void oneRangePerKindAndDayAndAStragglerGetsItsOwn() {
        // A night: imports and exports of two days, and a correction to a declaration of an earlier year.
        List<String> nos = List.of("107646000001", "107646100007", "107647000003", "307646000002", "307647200009", "107300000004");
        KeyRanges r = KeyRanges.of(keys(nos), Clustering.DECLARATION_NO);
        assertEquals(List.of("107300000004-107300000004", "107646000001-107646100007", "107647000003-107647000003",
                        "307646000002-307646000002", "307647200009-307647200009"),
                r.ranges().stream().map(x -> x[0] + "-" + x[1]).toList(),
                "ranges by the first six characters (kind + day), sorted; the 2019 correction does not widen the night's");
        assertEquals(nos.size(), keys(nos).where(r.filter()).count(), "every key lies in a range: " + r);
        assertEquals(0, keys(List.of("107645999999", "207646000001", "307648000000")).where(r.filter()).count(),
                "keys of other days and kinds are outside: " + r);
        org.junit.jupiter.api.Assertions.assertTrue(r.sql("t").startsWith("(t.`declaration_no` BETWEEN '107300000004' AND '107300000004' OR "),
                "SQL for a MERGE condition: " + r.sql("t"));
    }

    @Test
    void aYearOfPrefixesIsMergedIntoAtMostMaxRangesThatStillCoverEveryKey() {
        List<String> nos = new ArrayList<>();
        IntStream.range(0, 300).forEach(d -> { nos.add("1" + (10000 + d) + "000001"); nos.add("1" + (10000 + d) + "900009"); });
        KeyRanges r = KeyRanges.of(keys(nos), Clustering.DECLARATION_NO);
        assertEquals(KeyRanges.MAX_RANGES, r.ranges().size(), "300 prefixes merged into " + KeyRanges.MAX_RANGES + " ranges");
        for (int i = 1; i < r.ranges().size(); i++) {
            org.junit.jupiter.api.Assertions.assertTrue(r.ranges().get(i - 1)[1].compareTo(r.ranges().get(i)[0]) < 0, "ranges sorted and disjoint at " + i + ": " + r);
        }
        assertEquals(nos.size(), keys(nos).where(r.filter()).count(), "every key still lies in a range");
        org.junit.jupiter.api.Assertions.assertTrue(KeyRanges.of(keys(List.of()), Clustering.DECLARATION_NO).isEmpty(), "no rows, no range");
        assertEquals(0, keys(nos).where(KeyRanges.of(keys(List.of()), Clustering.DECLARATION_NO).filter()).count(), "an empty set of ranges matches nothing");
    }

    private Dataset<Row> decl(String no, String updatedAt, String office) {
        return spark().sql("SELECT '" + no + "' AS declaration_no, '" + office + "' AS office_code, 2020 AS registration_year, "
                + "timestamp'" + updatedAt + "' AS updated_at");
    }

    /**
     * The proof that files are skipped: the file of the import numbers is deleted from disk (not from
     * the log), so any MERGE that reads it fails. With the key ranges the MERGE of an export number
     * never opens it; without them the same MERGE does.
     */
    @Test
    void aMergeWithKeyRangesNeverOpensTheFilesOutsideThem(@TempDir Path dir) throws Exception {
        Warehouse wh = new Warehouse(dir.toString());
        String t = "declarations";
        List<String> key = List.of("declaration_no");
        Tables.merge(spark(), wh, Layer.SILVER, t, decl("107640000001", "2020-12-20 08:00:00", "20CF")
                        .unionByName(decl("107640000002", "2020-12-20 08:00:00", "20CF")).coalesce(1),
                key, "registration_year", List.of(2020), "updated_at", false, Clustering.DECLARATION_NO);
        Tables.append(spark(), wh, Layer.SILVER, t, decl("307640000001", "2020-12-20 08:00:00", "20CF").coalesce(1), List.of("registration_year"));
        String path = wh.path(Layer.SILVER, t);
        List<String> files = DeltaLog.forTable(spark(), path).update(false, scala.Option.empty(), scala.Option.empty())
                .allFiles().toDF().select("path").as(Encoders.STRING()).collectAsList();
        assertEquals(2, files.size(), "one file of imports, one of exports: " + files);
        String imports = DeltaLog.forTable(spark(), path).update(false, scala.Option.empty(), scala.Option.empty()).allFiles().toDF()
                .where(get_json_object(col("stats"), "$.minValues.declaration_no").startsWith("1")).select("path").as(Encoders.STRING()).head();
        Files.delete(dir.resolve("silver").resolve(t).resolve(java.net.URLDecoder.decode(imports, java.nio.charset.StandardCharsets.UTF_8)));

        Dataset<Row> update = decl("307640000001", "2020-12-21 09:00:00", "20BB");
        Exception without = assertThrows(Exception.class, () -> Tables.merge(spark(), wh, Layer.SILVER, t, update, key,
                        "registration_year", List.of(2020), "updated_at", false, null),
                "without key ranges the MERGE scans the year partition, the deleted imports file too");
        org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(without.getMessage()).contains("does not exist") || String.valueOf(without.getMessage()).contains("FileNotFound")
                || String.valueOf(without.getCause()).contains("FileNotFound"), "failed for the missing file: " + without);

        Tables.merge(spark(), wh, Layer.SILVER, t, update, key, "registration_year", List.of(2020), "updated_at", false, Clustering.DECLARATION_NO);
        Row exp = wh.read(spark(), Layer.SILVER, t).where(col("declaration_no").startsWith("3")).head();
        assertEquals("20BB", exp.getAs("office_code"), "the export's newer version won, with only its own file read");
    }
}
