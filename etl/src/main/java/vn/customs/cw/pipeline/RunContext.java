package vn.customs.cw.pipeline;

import org.apache.spark.sql.SparkSession;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Warehouse;

import java.time.LocalDate;
import java.util.Set;

/**
 * What every stage of one run shares: the one SparkSession, the configuration, the warehouse, the
 * run id, the landing days being loaded, and the years whose gold rows must be recomputed.
 *
 * @param affectedYears registration/activity years touched by the silver changes of this run;
 *                      gold stages recompute these years (and the year after each, whose
 *                      previous-year columns read them) with replaceWhere, so re-runs are idempotent.
 */
public record RunContext(SparkSession spark, CwConfig config, Warehouse warehouse, String runId,
                         String command, LocalDate from, LocalDate to, Set<Integer> affectedYears) {

    /**
     * Where the stages keep the intermediate results they read twice ({@code cw.etl.cache-level},
     * a Spark StorageLevel name). On one machine DISK_ONLY: the heap stays for sorts and joins and
     * the operating system's page cache holds the blocks (outside the JVM's RSS). At 1 M
     * declarations MEMORY_AND_DISK starved a concurrent sort of memory in a 4 GB heap.
     */
    public org.apache.spark.storage.StorageLevel cacheLevel() {
        var raw = config.raw();
        String level = raw.hasPath("cw.etl.cache-level") ? raw.getString("cw.etl.cache-level") : "MEMORY_AND_DISK";
        try {
            return org.apache.spark.storage.StorageLevel.fromString(level);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cw.etl.cache-level must be a Spark storage level (DISK_ONLY, MEMORY_AND_DISK, ...), got '" + level + "'");
        }
    }

    /** Whether silver MERGE targets use deletion vectors ({@code cw.etl.deletion-vectors}, default false; see Tables). */
    public boolean deletionVectors() {
        return deletionVectors(config);
    }

    /** {@link #deletionVectors()} of a configuration (the profiles set it differently: CwConfigProfilesTest). */
    public static boolean deletionVectors(CwConfig config) {
        var raw = config.raw();
        return raw.hasPath("cw.etl.deletion-vectors") && raw.getBoolean("cw.etl.deletion-vectors");
    }

    /**
     * Whether this run covers at most {@code cw.etl.incremental-max-days} landing days (default 31):
     * a night or a catch-up week, whose gold work is recomputed in place (release time by
     * declaration, not whole years). False without a range.
     */
    public boolean isShortRun() {
        if (from == null || to == null) return false;
        var raw = config.raw();
        int maxDays = raw.hasPath("cw.etl.incremental-max-days") ? raw.getInt("cw.etl.incremental-max-days") : 31;
        if (maxDays < 0) throw new IllegalArgumentException("cw.etl.incremental-max-days must be >= 0, got " + maxDays);
        return java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1 <= maxDays;
    }

    public RunContext withAffectedYears(Set<Integer> years) {
        return new RunContext(spark, config, warehouse, runId, command, from, to, Set.copyOf(years));
    }
}
