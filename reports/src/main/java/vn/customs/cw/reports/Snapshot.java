package vn.customs.cw.reports;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * Every table a report reads, read at one pinned Delta version, so the report can be regenerated
 * exactly. Without a run id the version is the latest one when the table is first read; with a run
 * id it is the version that run recorded in ops.run_log, or, for a table the run did not write, the
 * latest version written by a successful run that ended before it.
 */
public final class Snapshot {
    private final SparkSession spark;
    private final Warehouse warehouse;
    private final String asOfRun;
    private final Map<String, Long> versions = new TreeMap<>();
    // One DataFrame per table: re-reading would rebuild the Delta snapshot for every query.
    private final Map<String, Dataset<Row>> frames = new java.util.HashMap<>();
    private final Map<String, Boolean> existing = new java.util.HashMap<>();
    private List<Row> runLog;      // (run_id, table_name, delta_version, ended_at, status) of the relevant runs
    private Timestamp runEndedAt;

    public Snapshot(SparkSession spark, Warehouse warehouse, String asOfRun) {
        this.spark = spark;
        this.warehouse = warehouse;
        this.asOfRun = asOfRun == null || asOfRun.isBlank() ? null : asOfRun.trim();
        if (this.asOfRun != null) loadRunLog();
    }

    public String asOfRun() { return asOfRun; }

    /** Tables read so far, {@code layer.table -> Delta version}. */
    public Map<String, Long> versions() { return Collections.unmodifiableMap(versions); }

    public boolean exists(Layer layer, String table) {
        return existing.computeIfAbsent(layer.db() + "." + table, k -> warehouse.exists(spark, layer, table));
    }

    public Dataset<Row> read(Layer layer, String table) {
        String key = layer.db() + "." + table;
        Dataset<Row> df = frames.get(key);
        if (df == null) {
            long v = asOfRun == null ? latest(layer, table) : fromRunLog(layer, table);
            versions.put(key, v);
            df = warehouse.readAsOf(spark, layer, table, v);
            frames.put(key, df);
        }
        return df;
    }

    private long latest(Layer layer, String table) {
        long v = warehouse.version(spark, layer, table);
        if (v < 0) throw new IllegalStateException("table " + layer.db() + "." + table
                + " does not exist in warehouse " + warehouse.root() + ": run the pipeline first");
        return v;
    }

    private void loadRunLog() {
        if (!warehouse.exists(spark, Layer.OPS, "run_log"))
            throw new IllegalArgumentException("--as-of-run " + asOfRun + ": ops.run_log does not exist in " + warehouse.root());
        Dataset<Row> log = warehouse.read(spark, Layer.OPS, "run_log");
        Row r = log.filter(col("run_id").equalTo(lit(asOfRun)))
                .agg(count(lit(1)), max(col("ended_at"))).head();
        if (r.getLong(0) == 0) throw new IllegalArgumentException("unknown run '" + asOfRun + "': not in ops.run_log");
        runEndedAt = r.isNullAt(1) ? null : r.getTimestamp(1);
        // The run log is small (runs x tables); only the rows that can pin a version come back.
        Dataset<Row> candidates = log.filter(col("delta_version").isNotNull())
                .filter(col("run_id").equalTo(lit(asOfRun))
                        .or(col("status").equalTo(lit("SUCCEEDED"))
                                .and(runEndedAt == null ? lit(false) : col("ended_at").lt(lit(runEndedAt)))))
                .select(col("run_id"), col("table_name"), col("delta_version").cast("long"), col("ended_at"), col("status"));
        runLog = new ArrayList<>(candidates.collectAsList());
    }

    private long fromRunLog(Layer layer, String table) {
        String full = layer.db() + "." + table;
        Long own = null;
        Long before = null;
        Timestamp beforeAt = null;
        for (Row r : runLog) {
            String name = r.getString(1);
            if (!full.equals(name) && !table.equals(name)) continue;
            long v = r.getLong(2);
            if (asOfRun.equals(r.getString(0))) {
                if ("SUCCEEDED".equals(r.getString(4))) own = own == null ? v : Math.max(own, v);
            } else {
                Timestamp at = r.isNullAt(3) ? null : r.getTimestamp(3);
                if (at != null && (beforeAt == null || at.after(beforeAt) || (at.equals(beforeAt) && v > before))) {
                    before = v;
                    beforeAt = at;
                }
            }
        }
        Long v = own != null ? own : before;
        if (v == null) throw new IllegalArgumentException("--as-of-run " + asOfRun + ": no version of " + full
                + " was written by that run or a successful run before it");
        return v;
    }
}
