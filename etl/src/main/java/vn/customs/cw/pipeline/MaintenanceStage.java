package vn.customs.cw.pipeline;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OPTIMIZE (bin-packing the small files MERGE and daily appends leave) then VACUUM of one table,
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
        DeltaTable t = DeltaTable.forPath(spark, ctx.warehouse().path(layer, table));
        t.optimize().executeCompaction();
        t.vacuum(hours);
        long rows = t.toDF().count();
        return List.of(TableWrite.derived(layer.db() + "." + table, rows, ctx.warehouse().version(spark, layer, table)));
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
