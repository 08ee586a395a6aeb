package vn.customs.cw.spark;

import org.apache.spark.sql.SparkSession;
import vn.customs.cw.config.CwConfig;

import java.util.Map;

/** The one SparkSession of a run: every source and stage of a command shares it. */
public final class Sparks {
    private Sparks() {}

    /**
     * Settings every session needs, whatever the profile: Delta as the catalog and SQL extension, and
     * Delta's commit checksum trusted as in a UTC session.
     *
     * <p>Delta 3.3 keeps a small table's file list in the commit's checksum, computed incrementally,
     * but when the session time zone is not UTC it verifies that list after every commit by rebuilding
     * the table state with a Spark job (allFilesInCrc.verificationMode.forceOnNonUTC). The worry is
     * timestamp partition values, whose text depends on the time zone. No table here is partitioned by
     * a timestamp (years, months, landing dates, source names; PipelineEndToEndTest checks every table
     * it writes), and the rebuild was a quarter of the driver's time on small commits (JFR profile of
     * GoldMartsStageTest). Our session is Asia/Ho_Chi_Minh, so it is turned off.
     */
    public static final Map<String, String> DELTA = Map.of(
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "spark.databricks.delta.allFilesInCrc.verificationMode.forceOnNonUTC.enabled", "false");

    public static SparkSession session(CwConfig cfg) {
        SparkSession.Builder b = SparkSession.builder().appName(cfg.spark().appName());
        // Under spark-submit the master comes from the command line; set it only when absent.
        if (System.getProperty("spark.master") == null) {
            b.master(cfg.spark().master());
        }
        DELTA.forEach(b::config);
        // A setting given on spark-submit's command line (--conf, --executor-memory ...) wins over
        // the profile: spark-submit turns them into system properties before the job starts.
        cfg.spark().conf().forEach((k, v) -> {
            if (System.getProperty(k) == null) b.config(k, v);
        });
        b.config("spark.sql.warehouse.dir", cfg.paths().warehouse() + "/_spark");
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
