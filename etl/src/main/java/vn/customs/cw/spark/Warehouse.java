package vn.customs.cw.spark;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where the Delta tables live: {@code <warehouse>/<layer>/<table>}. Jobs address tables by path
 * through this class; {@link #registerCatalog} gives them their {@code layer.table} names for SQL,
 * reports and notebooks.
 */
public final class Warehouse {
    private final String root;

    public Warehouse(String root) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    public String root() { return root; }

    public String path(Layer layer, String table) {
        return root + "/" + layer.db() + "/" + table;
    }

    public boolean exists(SparkSession spark, Layer layer, String table) {
        return DeltaTable.isDeltaTable(spark, path(layer, table));
    }

    public Dataset<Row> read(SparkSession spark, Layer layer, String table) {
        return spark.read().format("delta").load(path(layer, table));
    }

    public Dataset<Row> readAsOf(SparkSession spark, Layer layer, String table, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(path(layer, table));
    }

    /**
     * Latest committed version, or -1 when the table does not exist yet. Read from the Delta log:
     * DESCRIBE HISTORY would run Spark jobs, and the reports ask this of every table they read.
     */
    public long version(SparkSession spark, Layer layer, String table) {
        if (!exists(spark, layer, table)) return -1;
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(layer, table))
                .update(false, scala.Option.empty(), scala.Option.empty()).version();
    }

    /**
     * Registers every Delta table found under the warehouse as {@code <layer>.<table>} in the
     * session catalog (external tables over the paths, so nothing moves).
     */
    public void registerCatalog(SparkSession spark) {
        org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(root);
        try {
            org.apache.hadoop.fs.FileSystem fs = base.getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (Layer layer : Layer.values()) {
                org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(base, layer.db());
                spark.sql("CREATE DATABASE IF NOT EXISTS " + layer.db());
                if (!fs.exists(dir)) continue;
                for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
                    String name = st.getPath().getName();
                    if (!st.isDirectory() || !name.matches("[a-z0-9_]+")) continue;
                    if (!fs.exists(new org.apache.hadoop.fs.Path(st.getPath(), "_delta_log"))) continue;
                    spark.sql("CREATE TABLE IF NOT EXISTS " + layer.db() + "." + name + " USING delta LOCATION '"
                            + st.getPath().toString().replace("'", "\\'") + "'");
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list warehouse " + root, e);
        }
    }
}
