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

    /**
     * What {@link #session} builds a session from, in the order it applies them: app name, master,
     * {@link #DELTA}, the profile's settings (which may replace a Delta one) and the catalog folder.
     */
    static Map<String, String> settings(CwConfig cfg) {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("spark.app.name", cfg.spark().appName());
        s.put("spark.master", cfg.spark().master());
        s.putAll(DELTA);
        s.putAll(cfg.spark().conf());
        s.put("spark.sql.warehouse.dir", cfg.paths().warehouse() + "/_spark");
        return s;
    }

    public static SparkSession session(CwConfig cfg) {
        Map<String, String> asked = settings(cfg);
        Map<String, String> p = pinned;
        if (p != null) {
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
        SparkSession.Builder b = SparkSession.builder();
        // The master and the profile's settings may come from spark-submit's command line instead
        // (--master, --conf, --executor-memory ...), which turns them into system properties before
        // the job starts: those win over the profile.
        asked.forEach((k, v) -> {
            boolean fromProfile = k.equals("spark.master") || cfg.spark().conf().containsKey(k);
            if (!fromProfile || System.getProperty(k) == null) b.config(k, v);
        });
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
