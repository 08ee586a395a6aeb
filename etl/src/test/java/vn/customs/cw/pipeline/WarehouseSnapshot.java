package vn.customs.cw.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/** Every table's rows as sorted strings, without the columns that name the run or its time. */
public final class WarehouseSnapshot {
    private WarehouseSnapshot() {}

    static final Set<String> VOLATILE = Set.of("_run_id", "_ingested_at", "run_id", "quarantined_at");
    /** Logs of runs: they grow with every run by design. */
    static final Set<String> LOGS = Set.of("ops/run_log", "ops/check_results");

    /**
     * Every Delta table's partition columns as {@code name:type}. Sparks.DELTA turns off Delta's
     * checksum verification for non-UTC sessions, which is only safe while no table is partitioned by
     * a timestamp (its partition text depends on the time zone).
     */
    public static Map<String, List<String>> partitionColumns(SparkSession spark, String warehouse) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String layer : List.of("bronze", "silver", "gold", "ops")) {
            File[] tables = new File(warehouse, layer).listFiles(f -> new File(f, "_delta_log").isDirectory());
            if (tables == null) continue;
            for (File t : tables) {
                var meta = org.apache.spark.sql.delta.DeltaLog.forTable(spark, t.getPath()).update(false, scala.Option.empty(), scala.Option.empty()).metadata();
                out.put(layer + "/" + t.getName(), Arrays.stream(meta.partitionSchema().fields())
                        .map(f -> f.name() + ":" + f.dataType().typeName()).toList());
            }
        }
        return out;
    }

    static Map<String, List<String>> of(SparkSession spark, String warehouse) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String layer : List.of("bronze", "silver", "gold", "ops")) {
            File[] tables = new File(warehouse, layer).listFiles(f -> new File(f, "_delta_log").isDirectory());
            if (tables == null) continue;
            for (File t : tables) {
                String name = layer + "/" + t.getName();
                if (LOGS.contains(name)) continue;
                Dataset<Row> df = spark.read().format("delta").load(t.getPath());
                Column[] keep = Arrays.stream(df.columns()).filter(c -> !VOLATILE.contains(c)).map(c -> col("`" + c + "`")).toArray(Column[]::new);
                out.put(name, df.select(keep).collectAsList().stream().map(Row::toString).sorted().toList());
            }
        }
        return out;
    }
}
