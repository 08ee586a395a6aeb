package vn.customs.cw.pipeline;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import vn.customs.cw.contracts.Clustering;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

/**
 * OPTIMIZE (bin-packing the small files MERGE and daily appends leave; for the tables clustered by
 * declaration number, Z-ordering by that key the partitions whose files overlap, see {@link #unclustered})
 * then VACUUM of one table,
 * as its own step: never concurrently with a writer. Retention comes from
 * cw.maintenance.vacuum-retention-hours (the config refuses less than 168 h) and Delta's own
 * retention-duration check stays on.
 */
public final class MaintenanceStage implements Stage {
    private final Layer layer;
    private final String table;

    public MaintenanceStage(Layer layer, String table) {
        this.layer = layer;
        this.table = table;
    }

    @Override
    public String name() {
        return "maintain:" + layer.db() + "." + table;
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        SparkSession spark = ctx.spark();
        int hours = ctx.config().maintenance().vacuumRetentionHours();
        if (hours < 168) throw new IllegalArgumentException("vacuum retention " + hours + " h is below 168 h");
        String path = ctx.warehouse().path(layer, table);
        DeltaTable t = DeltaTable.forPath(spark, path);
        Clustering c = clustering(layer, table);
        if (c == null) {
            t.optimize().executeCompaction();
        } else {
            int filesPerYear = ctx.config().maintenance().clusteredFilesPerYear();
            for (Map.Entry<String, Long> e : unclustered(spark, path, c, filesPerYear).entrySet()) {
                // Delta cuts what it Z-orders into files of about maxFileSize.
                long fileBytes = fileBytes(e.getValue(), filesPerYear);
                String key = "spark.databricks.delta.optimize.maxFileSize";
                String before = spark.conf().get(key, null);
                spark.conf().set(key, fileBytes);
                try {
                    var o = t.optimize();
                    if (!e.getKey().isEmpty()) o = o.where(e.getKey());
                    o.executeZOrderBy(c.column());
                } finally {
                    if (before == null) spark.conf().unset(key); else spark.conf().set(key, before);
                }
            }
        }
        t.vacuum(hours);
        long rows = t.toDF().count();
        return List.of(TableWrite.derived(layer.db() + "." + table, rows, ctx.warehouse().version(spark, layer, table)));
    }

    /** The clustered tables: silver declarations, events and milestones (keyed by declaration number). */
    static Clustering clustering(Layer layer, String table) {
        if (layer != Layer.SILVER) return null;
        if (table.equals(MilestonesStage.TABLE)) return MilestonesStage.CLUSTERING;
        return Source.byFolder(table).map(Source::clustering).orElse(null);
    }

    /**
     * The partitions whose files' key ranges overlap (a night's MERGE writes files spanning every
     * number it touched; a clustered partition has disjoint ranges) or that hold a file of more than
     * twice the size wanted ({@link #fileBytes}: a MERGE rewrote the year into one file) or more than
     * twice the files wanted (many nights' small files), each as a predicate for
     * OPTIMIZE with its size in bytes: Z-ordering rewrites every file of a partition it selects, so
     * partitions already clustered are left as they are. Read from the file statistics in the Delta
     * log (Delta OSS does not tag Z-ordered files); a file without statistics counts as overlapping.
     * An unpartitioned table's predicate is "". Empty when nothing needs it.
     */
    static Map<String, Long> unclustered(SparkSession spark, String path, Clustering c, int filesPerYear) {
        var snapshot = DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
        List<String> parts = scala.collection.JavaConverters.seqAsJavaList(snapshot.metadata().partitionColumns());
        if (parts.size() > 1) throw new IllegalStateException("clustered table " + path + " has more than one partition column: " + parts);
        Column part = parts.isEmpty() ? lit("") : col("partitionValues").getItem(parts.get(0));
        // File metadata, one row per file (hundreds), not data.
        List<Row> files = snapshot.allFiles().toDF().select(part.alias("p"),
                        get_json_object(col("stats"), "$.minValues." + c.column()).alias("lo"),
                        get_json_object(col("stats"), "$.maxValues." + c.column()).alias("hi"), col("size"))
                .collectAsList();
        Map<String, List<String[]>> ranges = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        Map<String, Long> bytes = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        Map<String, Long> largest = new java.util.HashMap<>();
        for (Row r : files) {
            ranges.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new String[]{r.getString(1), r.getString(2)});
            bytes.merge(r.getString(0), r.getLong(3), Long::sum);
            largest.merge(r.getString(0), r.getLong(3), Math::max);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        ranges.forEach((p, rs) -> {
            boolean oversized = largest.get(p) > 2 * fileBytes(bytes.get(p), filesPerYear);
            boolean tooMany = rs.size() > 2 * filesPerYear; // small files of many nights, none overlapping
            if (!overlap(rs) && !oversized && !tooMany) return;
            String name = parts.isEmpty() ? null : "`" + parts.get(0) + "`";
            out.put(name == null ? "" : p == null ? name + " IS NULL" : name + " = '" + p.replace("'", "''") + "'", bytes.get(p));
        });
        return out;
    }

    /** The file size wanted for a partition of {@code bytes}: its share of the files per year, at least 1 MiB. */
    static long fileBytes(long bytes, int filesPerYear) {
        return Math.max(1L << 20, bytes / filesPerYear);
    }

    /** Whether any two of the [min, max] key ranges share a key (a range without statistics overlaps). */
    static boolean overlap(List<String[]> ranges) {
        if (ranges.size() < 2) return false;
        if (ranges.stream().anyMatch(r -> r[0] == null || r[1] == null)) return true;
        List<String[]> sorted = new ArrayList<>(ranges);
        sorted.sort(java.util.Comparator.comparing((String[] r) -> r[0]));
        String reach = sorted.get(0)[1]; // the largest max so far
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i)[0].compareTo(reach) <= 0) return true;
            if (sorted.get(i)[1].compareTo(reach) > 0) reach = sorted.get(i)[1];
        }
        return false;
    }

    /** A maintenance stage for every Delta table under the warehouse. */
    public static List<Stage> forAllTables(SparkSession spark, Warehouse wh) {
        List<Stage> out = new ArrayList<>();
        try {
            Path root = new Path(wh.root());
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (Layer l : Layer.values()) {
                Path dir = new Path(root, l.db());
                if (!fs.exists(dir)) continue;
                for (FileStatus st : fs.listStatus(dir)) {
                    if (st.isDirectory() && fs.exists(new Path(st.getPath(), "_delta_log"))) {
                        out.add(new MaintenanceStage(l, st.getPath().getName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list warehouse " + wh.root(), e);
        }
        return out;
    }
}
