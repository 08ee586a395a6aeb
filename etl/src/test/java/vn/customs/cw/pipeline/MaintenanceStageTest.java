package vn.customs.cw.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Clustering;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/** maintain Z-orders the clustered tables' partitions that have new files, and only those. */
class MaintenanceStageTest extends SparkTestBase {

    /** Imports (1…) and exports (3…) numbered from..from+n. */
    private Dataset<Row> decls(int year, int from, int n) {
        return kind("1", year, from, n).unionByName(kind("3", year, from, n));
    }

    private Dataset<Row> kind(String kind, int year, int from, int n) {
        return spark().range(from, from + n).select(
                concat(lit(kind), lpad(col("id").cast("string"), 11, "0")).alias("declaration_no"),
                lit("20CF").alias("office_code"), lit(year).alias("registration_year"),
                current_timestamp().alias("updated_at"));
    }

    private Dataset<Row> files(String path) {
        return DeltaLog.forTable(spark(), path).update(false, scala.Option.empty(), scala.Option.empty()).allFiles().toDF();
    }

    @Test
    void zOrdersThePartitionsWithNewFilesAndLeavesTheOthers(@TempDir Path dir) {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        String t = "declarations";
        String path = wh.path(Layer.SILVER, t);
        // Two years, each in several files whose keys interleave (as a night's MERGE leaves them).
        Tables.append(spark(), wh, Layer.SILVER, t, decls(2019, 0, 400).repartition(4).unionByName(decls(2020, 1000, 400).repartition(4)),
                List.of("registration_year"));
        assertEquals(Clustering.DECLARATION_NO, MaintenanceStage.clustering(Layer.SILVER, t));
        assertNull(MaintenanceStage.clustering(Layer.SILVER, "admin_dossiers"), "dossiers are not clustered");
        assertEquals(List.of("`registration_year` = '2019'", "`registration_year` = '2020'"),
                List.copyOf(MaintenanceStage.unclustered(spark(), path, Clustering.DECLARATION_NO, 52).keySet()));

        RunContext ctx = new RunContext(spark(), cfg, wh, "run-1", "maintain", LocalDate.of(2021, 1, 1), LocalDate.of(2021, 1, 1), Set.of());
        new MaintenanceStage(Layer.SILVER, t).run(ctx);
        assertEquals(java.util.Map.of(), MaintenanceStage.unclustered(spark(), path, Clustering.DECLARATION_NO, 52),
                "every file Z-ordered by declaration_no: " + files(path).select("path", "tags").collectAsList());
        assertEquals(1600, wh.read(spark(), Layer.SILVER, t).count(), "no row lost or added");
        List<Row> y2019 = files(path).where(col("partitionValues").getItem("registration_year").equalTo("2019")).collectAsList();

        // A night adds a file to 2020 with imports and exports: its range overlaps the 2020 file's, so
        // only 2020 is rewritten; the 2019 file stays, and so would a file of new numbers only.
        Tables.append(spark(), wh, Layer.SILVER, t, decls(2020, 2000, 5).coalesce(1), List.of("registration_year"));
        assertEquals(List.of("`registration_year` = '2020'"), List.copyOf(MaintenanceStage.unclustered(spark(), path, Clustering.DECLARATION_NO, 52).keySet()));
        new MaintenanceStage(Layer.SILVER, t).run(ctx);
        assertEquals(java.util.Map.of(), MaintenanceStage.unclustered(spark(), path, Clustering.DECLARATION_NO, 52));
        assertEquals(y2019.stream().map(r -> r.<String>getAs("path")).sorted().toList(),
                files(path).where(col("partitionValues").getItem("registration_year").equalTo("2019"))
                        .select("path").as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList(),
                "2019 had no new file: not rewritten");
        assertEquals(1610, wh.read(spark(), Layer.SILVER, t).count());
        Tables.append(spark(), wh, Layer.SILVER, t, kind("3", 2020, 3000, 5).coalesce(1), List.of("registration_year"));
        assertEquals(java.util.Map.of(), MaintenanceStage.unclustered(spark(), path, Clustering.DECLARATION_NO, 52), "a file of numbers beyond the others overlaps none");
        assertEquals(1L << 20, MaintenanceStage.fileBytes(10_000, 52), "never below 1 MiB");
        assertEquals(60_000_000L, MaintenanceStage.fileBytes(3_120_000_000L, 52), "a national year of events (3.1 GB): 60 MB files");
        org.junit.jupiter.api.Assertions.assertTrue(MaintenanceStage.overlap(List.of(new String[]{"1", "9"}, new String[]{"2", "3"}, new String[]{"4", "5"})),
                "a range inside an earlier, wider one overlaps");
        org.junit.jupiter.api.Assertions.assertFalse(MaintenanceStage.overlap(List.of(new String[]{"4", "5"}, new String[]{"1", "3"})));
        org.junit.jupiter.api.Assertions.assertTrue(MaintenanceStage.overlap(List.of(new String[]{"1", "3"}, new String[]{null, null})), "no statistics: overlapping");
    }
}
