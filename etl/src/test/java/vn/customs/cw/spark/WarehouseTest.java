package vn.customs.cw.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarehouseTest extends SparkTestBase {

    @Test
    void deltaRoundTripRegistersInTheCatalogAndTimeTravels(@TempDir Path dir) {
        Warehouse wh = new Warehouse(dir.toString());
        Dataset<Row> v0 = spark().sql("SELECT 'Hòn Gai' AS office_name, 1 AS n");
        v0.write().format("delta").save(wh.path(Layer.GOLD, "smoke"));
        spark().sql("SELECT 'Vạn Gia' AS office_name, 2 AS n").write().format("delta").mode("append")
                .save(wh.path(Layer.GOLD, "smoke"));
        assertEquals(1, wh.version(spark(), Layer.GOLD, "smoke"), "two commits: versions 0 and 1");
        wh.registerCatalog(spark());
        assertEquals(2L, spark().sql("SELECT count(*) FROM gold.smoke").head().getLong(0));
        assertEquals(1L, spark().sql("SELECT count(*) FROM gold.smoke VERSION AS OF 0").head().getLong(0),
                "time travel to the first commit sees one row");
        assertEquals("Hòn Gai", wh.readAsOf(spark(), Layer.GOLD, "smoke", 0).head().getString(0),
                "Vietnamese text survives a Delta round trip");
        spark().sql("DROP TABLE gold.smoke");
    }
}
