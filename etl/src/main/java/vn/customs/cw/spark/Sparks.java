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

    /** The settings of a server's shared session ({@link #pin}); null outside a server. */
    private static volatile Map<String, String> pinned;

    /**
     * Every later {@link #session} must ask for {@code cfg}'s settings: ./cw serve shares one
     * session between commands, and a static setting (master, memory, the warehouse's catalog
     * folder) cannot change in a running session, so a command that asks for others is refused
     * rather than silently run with the server's.
     */
    public static void pin(CwConfig cfg) {
        pinned = settings(cfg);
    }

    public static void unpin() {
        pinned = null;
    }

    /** What a session is built from: app name, master, the profile's settings and the catalog folder. */
    static Map<String, String> settings(CwConfig cfg) {
        Map<String, String> s = new java.util.TreeMap<>(cfg.spark().conf());
        s.put("(app-name)", cfg.spark().appName());
        s.put("(master)", cfg.spark().master());
        s.put("spark.sql.warehouse.dir", cfg.paths().warehouse() + "/_spark");
        return s;
    }

    public static SparkSession session(CwConfig cfg) {
        Map<String, String> p = pinned;
        if (p != null) {
            Map<String, String> asked = settings(cfg);
            if (!asked.equals(p)) {
                java.util.Set<String> keys = new java.util.TreeSet<>(p.keySet());
                keys.addAll(asked.keySet());
                String diff = keys.stream().filter(k -> !java.util.Objects.equals(asked.get(k), p.get(k)))
                        .map(k -> k + " = " + asked.get(k) + " (server: " + p.get(k) + ")")
                        .collect(java.util.stream.Collectors.joining(", "));
                throw new IllegalArgumentException("this command's Spark settings differ from the server's (./cw serve): " + diff
                        + "; run it with CW_SERVE=off, or restart the server with these settings");
            }
        }
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
