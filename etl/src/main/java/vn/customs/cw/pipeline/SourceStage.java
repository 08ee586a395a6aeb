package vn.customs.cw.pipeline;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.ingest.LandingParser;
import vn.customs.cw.ops.KeyRanges;
import vn.customs.cw.ops.Quarantine;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.silver.Conform;
import vn.customs.cw.silver.Refs;
import vn.customs.cw.spark.Layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.*;

/**
 * One landing source for the run's days, in one pass: landing files → bronze (replaceWhere on the
 * days) → validation → ops.quarantine (replaceWhere on source and days) → silver (MERGE, latest
 * update wins). Three commits, whatever the number of days.
 */
public final class SourceStage implements ReportingStage {
    private final Source source;
    private final List<String> notes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Set<Integer> years = new LinkedHashSet<>();

    public SourceStage(Source source) {
        this.source = source;
    }

    public Source source() {
        return source;
    }

    @Override
    public String name() {
        return "source:" + source.folder();
    }

    @Override public Set<Integer> affectedYears() { return years; }
    @Override public List<String> notes() { return notes; }
    @Override public List<String> errors() { return errors; }

    /**
     * Every landing file of a source in one listing of its folder, keyed like
     * {@link Source#landingFile}; null when the folder does not exist.
     */
    static Map<String, FileStatus> landingListing(RunContext ctx, Source source) {
        Path dir = new Path(ctx.config().paths().landing(), source.folder());
        try {
            FileSystem fs = dir.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration());
            if (!fs.exists(dir)) return null;
            Map<String, FileStatus> found = new HashMap<>();
            FileStatus[] st = fs.globStatus(new Path(dir, "*/*.csv"));
            if (st != null) {
                for (FileStatus f : st) {
                    Path p = f.getPath();
                    found.put(source.folder() + "/" + p.getParent().getName() + "/" + p.getName(), f);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list landing folder " + dir, e);
        }
    }

    /** Existing landing files of the days, in one listing of the source folder; notes the gaps. */
    List<String> landingFiles(RunContext ctx) {
        Map<String, FileStatus> found = landingListing(ctx, source);
        if (found == null) {
            notes.add("no landing folder " + new Path(ctx.config().paths().landing(), source.folder()));
            return List.of();
        }
        List<String> files = new ArrayList<>();
        List<LocalDate> missing = new ArrayList<>(), empty = new ArrayList<>();
        for (LocalDate d = ctx.from(); !d.isAfter(ctx.to()); d = d.plusDays(1)) {
            FileStatus f = found.get(source.landingFile(d));
            if (f == null) missing.add(d);
            else if (f.getLen() == 0) empty.add(d);
            else files.add(f.getPath().toString());
        }
        if (!missing.isEmpty()) notes.add("missing landing file for " + summarize(missing));
        if (!empty.isEmpty()) notes.add("empty landing file for " + summarize(empty));
        return files;
    }

    /**
     * Sources may run in parallel (cw.etl.parallel-sources) and all write ops.quarantine, each its own
     * source partition. Delta would accept such disjoint replaceWhere commits side by side, but a
     * conflict retry is not worth the risk for a table written this rarely: one writer at a time.
     */
    private static final Object QUARANTINE_WRITER = new Object();

    /** ops.quarantine rows of this source and the run's landing days. */
    private Dataset<Row> quarantined(RunContext ctx) {
        return ctx.warehouse().read(ctx.spark(), Layer.OPS, Quarantine.TABLE)
                .filter(col("source").equalTo(source.folder())
                        .and(col("landing_date").between(ctx.from().toString(), ctx.to().toString())));
    }

    /** Whether an earlier run left rejects of these days that a clean re-run must clear. */
    private boolean quarantineHolds(RunContext ctx) {
        return ctx.warehouse().exists(ctx.spark(), Layer.OPS, Quarantine.TABLE) && !quarantined(ctx).isEmpty();
    }

    /** Whether this source's silver table records its change feed: a monthly gold mart reads it (GoldMartsStage). */
    private boolean changeFeed(RunContext ctx) {
        return vn.customs.cw.gold.GoldMartsStage.monthMarts(ctx.config())
                && vn.customs.cw.gold.GoldMartsStage.changeFeedInputs().contains(source.folder());
    }

    private static String summarize(List<LocalDate> days) {
        return days.size() <= 5 ? days.toString() : days.size() + " days (" + days.get(0) + " … " + days.get(days.size() - 1) + ")";
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        var spark = ctx.spark();
        var wh = ctx.warehouse();
        List<String> files = landingFiles(ctx);
        if (files.isEmpty()) return List.of();
        String range = "'" + ctx.from() + "' AND '" + ctx.to() + "'";

        // The cache holds each good line once, as fields; its raw text only for the lines rejected
        // here (a national year of events is ~120 M lines: twice the text blew the heap).
        Dataset<Row> parsed = LandingParser.parse(spark, files, source.columnNames())
                .withColumn("raw_text", when(col("reason_code").isNotNull().or(col("is_header")), col("raw_text")))
                .persist(ctx.cacheLevel());
        try {
            long rowsIn = 0, parseRejected = 0;
            for (Row r : parsed.groupBy("is_header", "reason_code").count().collectAsList()) {
                if (r.getBoolean(0)) continue;
                rowsIn += r.getLong(2);
                if (!r.isNullAt(1)) parseRejected += r.getLong(2);
            }
            for (Row r : parsed.filter(col("is_header")).select("reason_detail").collectAsList()) {
                errors.add(r.getString(0));
            }
            Dataset<Row> records = parsed.filter(not(col("is_header")));
            List<Column> cols = new ArrayList<>();
            List<String> names = source.columnNames();
            for (int i = 0; i < names.size(); i++) cols.add(col("fields").getItem(i).alias(names.get(i)));
            cols.add(col("_source_file"));
            cols.add(col("_record_no"));
            cols.add(col("_landing_date"));
            Dataset<Row> good = records.filter(col("reason_code").isNull());
            Dataset<Row> bronze = good.select(cols.toArray(Column[]::new))
                    .withColumn("_run_id", lit(ctx.runId())).withColumn("_ingested_at", current_timestamp());
            long bronzeVersion = Tables.replaceWhere(spark, wh, Layer.BRONZE, source.folder(), bronze,
                    List.of("_landing_date"), "_landing_date BETWEEN " + range);
            List<TableWrite> writes = new ArrayList<>();
            writes.add(new TableWrite("bronze." + source.folder(), rowsIn, rowsIn - parseRejected, parseRejected, bronzeVersion));

            // raw_text rides through validation and the shuffles only as a null: every row would carry
            // it for the rare reject. Rejects get it back from the files by file and line.
            cols.add(lit(null).cast("string").alias("raw_text"));
            Dataset<Row> bronzeIn = good.select(cols.toArray(Column[]::new));
            // Only read when validation rejects lines (rare): the files are parsed again for their text.
            Dataset<Row> rawLines = LandingParser.parse(spark, files, source.columnNames())
                    .filter(not(col("is_header")).and(col("reason_code").isNull()))
                    .select(col("_source_file"), col("_record_no"), col("raw_text"));
            writes.addAll(silver(ctx, bronzeIn, rawLines, records.filter(col("reason_code").isNotNull()), rowsIn - parseRejected, parseRejected, range));
            return writes;
        } finally {
            parsed.unpersist();
        }
    }

    private List<TableWrite> silver(RunContext ctx, Dataset<Row> bronzeIn, Dataset<Row> rawLines, Dataset<Row> parseRejects, long bronzeRows,
                                    long parseRejected, String range) {
        var spark = ctx.spark();
        var wh = ctx.warehouse();
        Refs refs = Refs.read(spark, wh);
        Dataset<Row> validated = Conform.validate(source, bronzeIn, refs);
        if (source == Source.DECLARATION_EVENTS) {
            // Shuffled by declaration_no alone (a subset of the key): the duplicate and latest-version
            // windows (by declaration_no, milestone) and the join with the out-of-order anchors (by
            // declaration_no) then all read this one shuffle. By the full key, the join moved every
            // event row a second time.
            validated = validated.repartition(col("declaration_no"));
        }
        Dataset<Row> marked = Conform.markDuplicates(source, validated).persist(ctx.cacheLevel());
        Dataset<Row> latest = null, checked = null;
        try {
            Dataset<Row> rejects = marked.filter(col(Conform.REASON).isNotNull());
            latest = Conform.latestPerKey(source, marked.filter(col(Conform.REASON).isNull()));
            if (source == Source.DECLARATION_EVENTS) {
                // The silver side of the rule is the milestones table (one row per declaration, a tenth
                // of the events). A declaration's milestones row sits in its registration year: those
                // from the year before ctx.from() on are read. A correction to a declaration registered
                // earlier is checked against its incoming events only; silver.declaration_milestones.is_in_order
                // and its data check still flag it.
                String ms = MilestonesStage.TABLE;
                // Only the files whose declaration numbers can match the incoming events (KeyRanges).
                Dataset<Row> existing = wh.exists(spark, Layer.SILVER, ms)
                        ? wh.read(spark, Layer.SILVER, ms).where(col("registration_year").geq(ctx.from().getYear() - 1))
                                .where(KeyRanges.of(marked, MilestonesStage.CLUSTERING).filter())
                                .select(col("declaration_no"), col("registered_at"), col("released_at"))
                        : spark.emptyDataFrame().select(lit(null).cast("string").alias("declaration_no"),
                        lit(null).cast("timestamp").alias("registered_at"), lit(null).cast("timestamp").alias("released_at"));
                checked = Conform.markStepsOutOfOrder(latest, existing).persist(ctx.cacheLevel());
                latest = checked.filter(col(Conform.REASON).isNull());
                rejects = rejects.unionByName(checked.filter(col(Conform.REASON).isNotNull()));
            }
            // Events: latest is a filter over the cached checked rows; caching it again would write every row twice.
            if (checked == null) latest = latest.persist(ctx.cacheLevel());
            Dataset<Row> rejectedRows = rejects.persist(ctx.cacheLevel());
            long silverRejected = rejectedRows.count();

            long qVersion;
            if (parseRejected + silverRejected == 0 && !quarantineHolds(ctx)) {
                // Nothing to quarantine and nothing of an earlier run to clear: no commit (most nights).
                qVersion = wh.version(spark, Layer.OPS, Quarantine.TABLE);
            } else synchronized (QUARANTINE_WRITER) {
                Dataset<Row> withRaw = rejectedRows.drop("raw_text");
                // Rejects are few: broadcast them against the re-parsed lines rather than shuffle those.
                if (silverRejected <= 200_000) withRaw = broadcast(withRaw);
                withRaw = withRaw.join(rawLines, Conform.seq("_source_file", "_record_no"), "inner");
                Dataset<Row> q = Quarantine.rows(parseRejects, ctx.runId(), source.folder(), "reason_code", "reason_detail")
                        .unionByName(Quarantine.rows(withRaw, ctx.runId(), source.folder(), Conform.REASON, Conform.DETAIL));
                qVersion = Tables.replaceWhere(spark, wh, Layer.OPS, Quarantine.TABLE, q, List.of("source"),
                        "source = '" + source.folder() + "' AND landing_date BETWEEN " + range);
                // The invariant read = loaded + quarantined, checked against what the quarantine table now holds.
                long inQuarantine = quarantined(ctx).count();
                if (inQuarantine != parseRejected + silverRejected) {
                    errors.add("invariant broken: ops.quarantine holds " + inQuarantine + " rows for " + source.folder()
                            + " " + ctx.from() + ".." + ctx.to() + ", expected " + (parseRejected + silverRejected));
                }
            }
            rejectedRows.unpersist();

            String yearCol = Conform.yearColumn(source);
            List<Object> yearValues = new ArrayList<>();
            long toMerge = 0;
            for (Row r : latest.groupBy(yearCol).count().collectAsList()) {
                toMerge += r.getLong(1);
                yearValues.add(r.isNullAt(0) ? null : r.get(0));
                if (!r.isNullAt(0)) years.add(((Number) r.get(0)).intValue());
            }
            // latest is materialized now (or, for events, read from checked): free the rest before the MERGE.
            marked.unpersist();
            List<String> silverCols = Conform.silverColumns(source, latest);
            Dataset<Row> src = latest.select(silverCols.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new))
                    .withColumn("_run_id", lit(ctx.runId())).withColumn("_ingested_at", current_timestamp());
            String part = Conform.partitionColumn(source);
            long version = toMerge == 0 && wh.exists(spark, Layer.SILVER, source.folder())
                    ? wh.version(spark, Layer.SILVER, source.folder()) // nothing valid: no empty commit
                    : Tables.merge(spark, wh, Layer.SILVER, source.folder(), src, source.keys(), part,
                    part == null ? List.of() : yearValues.stream().filter(java.util.Objects::nonNull).toList(),
                    source.updatedAtColumn(), ctx.deletionVectors(), source.clustering(), changeFeed(ctx));
            return List.of(
                    new TableWrite("ops.quarantine", parseRejected + silverRejected, 0,
                            parseRejected + silverRejected, qVersion),
                    new TableWrite("silver." + source.folder(), bronzeRows, bronzeRows - silverRejected, silverRejected, version)
                            .scoped(TableWrite.runRows(ctx.runId())));
        } finally {
            marked.unpersist();
            if (checked != null) checked.unpersist();
            if (latest != null) latest.unpersist();
        }
    }
}
