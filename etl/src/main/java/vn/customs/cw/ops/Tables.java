package vn.customs.cw.ops;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.contracts.Clustering;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Delta writes every stage uses: one commit each, partition-pruned. */
public final class Tables {
    private Tables() {}

    /**
     * The commit info of {@code version} of the table at {@code path}, read from its Delta log (no
     * Spark job, unlike DESCRIBE HISTORY); empty when the commit has none.
     */
    public static java.util.Optional<org.apache.spark.sql.delta.actions.CommitInfo> commitInfo(SparkSession spark, String path,
                                                                                             long version) {
        for (Object a : commitActions(spark, path, version)) {
            if (a instanceof org.apache.spark.sql.delta.actions.CommitInfo ci) return java.util.Optional.of(ci);
        }
        return java.util.Optional.empty();
    }

    /**
     * {@code name:type} of every column, in order (nullability aside: Delta may relax it on write): what
     * a gold table written by one release must share with the rows of another before a partial
     * overwrite or MERGE can take them.
     */
    public static List<String> columnTypes(org.apache.spark.sql.types.StructType schema) {
        return java.util.Arrays.stream(schema.fields()).map(f -> f.name() + ":" + f.dataType().simpleString()).toList();
    }

    /** Every action of commit {@code version} of the table at {@code path}, read from its Delta log file. */
    public static List<Object> commitActions(SparkSession spark, String path, long version) {
        List<Object> out = new java.util.ArrayList<>();
        var changes = org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).getChanges(version, version, false);
        while (changes.hasNext()) out.addAll(scala.collection.JavaConverters.seqAsJavaList(changes.next()._2()));
        return out;
    }

    /** Replaces the rows matching {@code predicate} (a partition range) with {@code df}; creates the table if absent. */
    public static long replaceWhere(SparkSession spark, Warehouse wh, Layer layer, String table, Dataset<Row> df,
                                    List<String> partitionBy, String predicate) {
        String path = wh.path(layer, table);
        var w = df.write().format("delta").mode("overwrite").option("replaceWhere", predicate);
        if (!DeltaTable.isDeltaTable(spark, path) && !partitionBy.isEmpty()) {
            w = w.partitionBy(partitionBy.toArray(String[]::new));
        }
        w.save(path);
        return wh.version(spark, layer, table);
    }

    /** Replaces the whole table (reference data, small). */
    public static long overwrite(SparkSession spark, Warehouse wh, Layer layer, String table, Dataset<Row> df) {
        df.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(wh.path(layer, table));
        return wh.version(spark, layer, table);
    }

    public static long append(SparkSession spark, Warehouse wh, Layer layer, String table, Dataset<Row> df, List<String> partitionBy) {
        var w = df.write().format("delta").mode("append");
        if (!partitionBy.isEmpty()) w = w.partitionBy(partitionBy.toArray(String[]::new));
        w.save(wh.path(layer, table));
        return wh.version(spark, layer, table);
    }

    /**
     * Upserts the (already one-row-per-key) source: insert new keys, update a key only when the
     * incoming update time is newer, so re-running a day changes nothing. The partition column is
     * in the condition, with the partition values of the source as literals, so Delta reads and
     * rewrites only the files of those partitions.
     *
     * @param partitionValues the distinct partition values in {@code src} (empty when unpartitioned)
     * @param deletionVectors  whether the table uses deletion vectors ({@code cw.etl.deletion-vectors});
     *                         turned on (a protocol upgrade, one commit) before the first MERGE into the table
     * @param clustering       the table's file layout, or null: the first write sorts the rows by the key within
     *                         each partition, and a MERGE adds the ranges of the source's keys to its condition
     *                         ({@link KeyRanges}), so Delta reads only the files whose keys can match
     */
    public static long merge(SparkSession spark, Warehouse wh, Layer layer, String table, Dataset<Row> src,
                             List<String> keys, String partitionColumn, List<?> partitionValues, String updatedAt,
                             boolean deletionVectors, Clustering clustering) {
        return merge(spark, wh, layer, table, src, keys, partitionColumn, partitionValues, updatedAt, deletionVectors,
                clustering, false);
    }

    /**
     * {@link #merge} that also records the table's change feed ({@value #CHANGE_FEED}) when
     * {@code changeFeed}: set when the table is created, or turned on (one commit, with deletion
     * vectors if both are missing) before the first MERGE that needs it. Readers of the feed (the
     * gold marts) see the changes only from that commit on.
     */
    public static long merge(SparkSession spark, Warehouse wh, Layer layer, String table, Dataset<Row> src,
                             List<String> keys, String partitionColumn, List<?> partitionValues, String updatedAt,
                             boolean deletionVectors, Clustering clustering, boolean changeFeed) {
        String path = wh.path(layer, table);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            var w = clustered(src, partitionColumn, clustering).write().format("delta").mode("append");
            if (changeFeed) w = w.option(CHANGE_FEED, "true");
            if (partitionColumn != null) w = w.partitionBy(partitionColumn);
            w.save(path);
            return wh.version(spark, layer, table);
        }
        List<String> features = new java.util.ArrayList<>();
        if (deletionVectors) features.add(DELETION_VECTORS);
        if (changeFeed) features.add(CHANGE_FEED);
        enable(spark, path, features);
        String cond = keys.stream().map(k -> "t.`" + k + "` = s.`" + k + "`").collect(Collectors.joining(" AND "));
        if (partitionColumn != null && !partitionValues.isEmpty()) {
            // The key alone identifies the row: a corrected timestamp can move a key into the
            // next or previous year (an event re-sent across 1 January), and matching on the
            // partition value too would insert a second row. The IN list still prunes files:
            // the incoming years and their neighbours, where such a key can already be.
            java.util.Set<Object> scan = new java.util.TreeSet<>(java.util.Comparator.comparing(String::valueOf));
            for (Object v : partitionValues) {
                scan.add(v);
                if (v instanceof Integer y) { scan.add(y - 1); scan.add(y + 1); }
            }
            boolean hasNull = scan.remove(null);
            String in = scan.stream().map(String::valueOf).collect(Collectors.joining(","));
            cond += " AND (t.`" + partitionColumn + "` IN (" + in + ")"
                    + (hasNull ? " OR t.`" + partitionColumn + "` IS NULL" : "") + ")";
        }
        if (clustering != null) {
            // A target-only conjunct of the condition: Delta skips the files whose min/max of the key
            // misses every range before it joins (a national year of events is 120 M rows; a night's
            // keys are a few days of numbers).
            cond += " AND " + KeyRanges.of(src, clustering).sql("t");
        }
        var m = DeltaTable.forPath(spark, path).as("t").merge(src.as("s"), cond);
        m = updatedAt == null ? m.whenMatched().updateAll() : m.whenMatched("s.`" + updatedAt + "` > t.`" + updatedAt + "`").updateAll();
        m.whenNotMatched().insertAll().execute();
        return wh.version(spark, layer, table);
    }

    /**
     * Replaces every row of a set of entities (zero or more rows each) with their new rows, in one
     * MERGE: rows of {@code rows} are updated in place or inserted, and the entities' other rows —
     * those whose {@code rowKey} has no new row, e.g. an interval a corrected milestone removed — are
     * deleted. An entity may move to another partition (a corrected registration month): its row is
     * matched by key and rewritten where it now belongs. Rows of other entities are not rewritten,
     * or, with deletion vectors, not even copied.
     *
     * @param rows        the new rows of the entities, in the table's columns, unique by {@code rowKey}
     * @param entities    one column, the first of {@code rowKey}: every entity replaced (an entity
     *                    without new rows loses its old ones). Not a cache of a read of this table: a
     *                    commit makes Spark rebuild such a cache from its stale plan, which Delta 3.3
     *                    fails to read once the table has deletion vectors
     *                    ("useMetadataRowIndex is enabled but rowIndexColumn is not defined")
     * @param rowKey      the columns identifying a row; the first is the entity's column
     * @param targetScope a SQL predicate on the table, its columns qualified by {@code t.}, true for
     *                    every old row of the entities; it prunes the partitions the MERGE reads
     */
    public static long replaceEntities(SparkSession spark, Warehouse wh, Layer layer, String table, Dataset<Row> rows,
                                       Dataset<Row> entities, List<String> rowKey, String targetScope, boolean deletionVectors) {
        String path = wh.path(layer, table);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            throw new IllegalStateException(layer.name().toLowerCase() + "." + table + " does not exist: build it whole first");
        }
        String entity = rowKey.get(0);
        if (entities.columns().length != 1 || !entities.columns()[0].equals(entity)) {
            throw new IllegalArgumentException("entities must have the one column " + entity + ", got "
                    + String.join(", ", entities.columns()));
        }
        if (deletionVectors) enableDeletionVectors(spark, path);
        String[] columns = rows.columns();
        org.apache.spark.sql.Column[] keyCols = rowKey.stream().map(k -> org.apache.spark.sql.functions.col("`" + k + "`"))
                .toArray(org.apache.spark.sql.Column[]::new);
        // Tombstones: the entities' old rows that no new row replaces. Same columns, so one union.
        Dataset<Row> old = spark.read().format("delta").load(path).as("t").where(targetScope)
                .join(entities, entity, "left_semi");
        Dataset<Row> gone = old.select(keyCols).join(rows.select(keyCols),
                scala.collection.JavaConverters.asScalaBuffer(rowKey).toSeq(), "left_anti");
        org.apache.spark.sql.Column[] tomb = java.util.Arrays.stream(columns)
                .map(c -> rowKey.contains(c) ? org.apache.spark.sql.functions.col("`" + c + "`")
                        : org.apache.spark.sql.functions.lit(null).cast(rows.schema().apply(c).dataType()).as(c))
                .toArray(org.apache.spark.sql.Column[]::new);
        Dataset<Row> src = rows.withColumn("_is_deleted", org.apache.spark.sql.functions.lit(false))
                .unionByName(gone.select(tomb).withColumn("_is_deleted", org.apache.spark.sql.functions.lit(true)));
        String cond = rowKey.stream().map(k -> "t.`" + k + "` = s.`" + k + "`").collect(Collectors.joining(" AND "))
                + " AND (" + targetScope + ")";
        Map<String, String> set = new java.util.LinkedHashMap<>();
        for (String c : columns) set.put("`" + c + "`", "s.`" + c + "`");
        DeltaTable.forPath(spark, path).as("t").merge(src.as("s"), cond)
                .whenMatched("s._is_deleted").delete()
                .whenMatched().updateExpr(set)
                .whenNotMatched("NOT s._is_deleted").insertExpr(set)
                .execute();
        return wh.version(spark, layer, table);
    }

    /**
     * The rows sorted by the clustering key within each partition value, in key ranges per task, so
     * each file holds a narrow range of keys; unchanged when there is no clustering.
     */
    static Dataset<Row> clustered(Dataset<Row> rows, String partitionColumn, Clustering clustering) {
        if (clustering == null) return rows;
        org.apache.spark.sql.Column key = org.apache.spark.sql.functions.col("`" + clustering.column() + "`");
        org.apache.spark.sql.Column[] by = partitionColumn == null ? new org.apache.spark.sql.Column[]{key}
                : new org.apache.spark.sql.Column[]{org.apache.spark.sql.functions.col("`" + partitionColumn + "`"), key};
        return rows.repartitionByRange(by).sortWithinPartitions(by);
    }

    /**
     * A night's MERGE updates a few rows spread over a year partition kept in a few large files.
     * Without deletion vectors Delta rewrites every file holding a matched row: on the 2021-01-02
     * national night, 34 updated events made it copy 10,774,408 others (64 s), and a re-run of a
     * day (every row matched, none newer) copied each touched file too. With them, a matched row
     * is marked deleted in a small side file and only the new versions are written. Readers need
     * Delta 3.x (reader version 3); every reader here (jobs, notebooks, SQL server) is Delta 3.3.
     */
    public static final String DELETION_VECTORS = "delta.enableDeletionVectors";

    /**
     * The table records its row-level changes (Delta's change data feed): a MERGE writes the old
     * and new versions of the rows it updates beside its data files, so a reader of versions
     * (a, b] finds every month a change touched, the months rows left included.
     */
    public static final String CHANGE_FEED = "delta.enableChangeDataFeed";

    /** Turns deletion vectors on (a protocol upgrade, one commit) unless the table has them already. */
    static void enableDeletionVectors(SparkSession spark, String path) {
        enable(spark, path, List.of(DELETION_VECTORS));
    }

    /** Sets the boolean table properties the table does not have yet, in one commit (none when it has them all). */
    static void enable(SparkSession spark, String path, List<String> properties) {
        String missing = properties.stream().filter(p -> !hasProperty(spark, path, p))
                .map(p -> "'" + p + "' = 'true'").collect(Collectors.joining(", "));
        if (!missing.isEmpty()) spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES (" + missing + ")");
    }

    static boolean hasDeletionVectors(SparkSession spark, String path) {
        return hasProperty(spark, path, DELETION_VECTORS);
    }

    /** Whether the table at {@code path} has the boolean property set to true. */
    public static boolean hasProperty(SparkSession spark, String path, String property) {
        scala.Option<String> v = org.apache.spark.sql.delta.DeltaLog.forTable(spark, path)
                .update(false, scala.Option.empty(), scala.Option.empty()).metadata().configuration().get(property);
        return v.isDefined() && "true".equalsIgnoreCase(v.get());
    }

    /** An empty table with the schema, so readers find it even before the first row (ops tables). */
    public static void ensure(SparkSession spark, Warehouse wh, Layer layer, String table, StructType schema, List<String> partitionBy) {
        if (DeltaTable.isDeltaTable(spark, wh.path(layer, table))) return;
        append(spark, wh, layer, table, spark.createDataFrame(List.of(), schema), partitionBy);
    }

    static Map<String, String> none() { return Map.of(); }
}
