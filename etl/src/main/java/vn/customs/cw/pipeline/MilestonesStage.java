package vn.customs.cw.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.contracts.Clustering;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.ops.KeyRanges;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.silver.Milestones;
import vn.customs.cw.spark.Layer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.*;

/**
 * Rebuilds silver.declaration_milestones for the declarations whose events landed on the run's
 * days (taken from bronze, not from what changed in silver: after a crash between the events MERGE
 * and this stage, the re-run finds the events unchanged but still rebuilds their declarations). Only
 * the event years those declarations can have events in are read ({@link #eventYears}).
 */
public final class MilestonesStage implements ReportingStage {
    public static final String TABLE = "declaration_milestones";
    /** One row per declaration, sorted by its number like the events it is pivoted from. */
    public static final Clustering CLUSTERING = Clustering.DECLARATION_NO;
    private final Set<Integer> years = new LinkedHashSet<>();

    @Override public String name() { return "silver:" + TABLE; }

    @Override public Set<Integer> affectedYears() { return years; }

    /**
     * The event years where silver can hold events of the touched declarations, so that a night
     * reads those partitions of silver.declaration_events instead of every year of history: the
     * years of the events that landed (a corrected event moves to its new year), every year from the
     * earliest to the latest event silver already has for them — their milestones row holds exactly
     * those events, one per milestone — and the run's own years and the year before (a milestones
     * row a failed run left behind).
     */
    static Set<Integer> eventYears(RunContext ctx, Dataset<Row> landed, Dataset<Row> touched, Column inRange) {
        var spark = ctx.spark();
        var wh = ctx.warehouse();
        Set<Integer> years = new java.util.TreeSet<>();
        for (int y = ctx.from().getYear() - 1; y <= ctx.to().getYear(); y++) years.add(y);
        for (Row r : landed.select(year(expr("try_cast(event_at AS TIMESTAMP)")).alias("y")).distinct().collectAsList()) {
            if (!r.isNullAt(0)) years.add(r.getInt(0));
        }
        if (wh.exists(spark, Layer.SILVER, TABLE)) {
            Column[] at = java.util.Arrays.stream(vn.customs.cw.contracts.Milestone.values()).map(m -> col(m.column())).toArray(Column[]::new);
            Row r = wh.read(spark, Layer.SILVER, TABLE).where(inRange).join(touched, "declaration_no", "left_semi")
                    .agg(min(year(least(at))), max(year(greatest(at)))).head();
            if (!r.isNullAt(0) && !r.isNullAt(1)) {
                for (int y = r.getInt(0); y <= r.getInt(1); y++) years.add(y);
            }
        }
        return years;
    }

    /**
     * Spark's constraint propagation, off while this stage plans. It derives, operator by operator,
     * every constraint implied by the key ranges' OR (tens of ranges on a night) and the pivot's
     * columns; on the 2021-01-02 national night that took ≈ 22 s of the stage's ≈ 49 s, on the
     * driver, with the same task time. It only adds inferred filters, and the ranges are already
     * written into every read and the MERGE condition by hand. The setting is session-wide, but the
     * pipeline runs this stage after every source of the batch has finished (Pipeline's
     * runSourcesInParallel), so no other stage plans while it is off.
     */
    static final String CONSTRAINT_PROPAGATION = "spark.sql.constraintPropagation.enabled";

    @Override
    public List<TableWrite> run(RunContext ctx) {
        var conf = ctx.spark().conf();
        String before = conf.get(CONSTRAINT_PROPAGATION, "true");
        conf.set(CONSTRAINT_PROPAGATION, "false");
        try {
            return rebuild(ctx);
        } finally {
            conf.set(CONSTRAINT_PROPAGATION, before);
        }
    }

    private List<TableWrite> rebuild(RunContext ctx) {
        var spark = ctx.spark();
        var wh = ctx.warehouse();
        String events = Source.DECLARATION_EVENTS.folder();
        if (!wh.exists(spark, Layer.BRONZE, events) || !wh.exists(spark, Layer.SILVER, events)) return List.of();
        Dataset<Row> landed = wh.read(spark, Layer.BRONZE, events)
                .filter(col("_landing_date").between(ctx.from().toString(), ctx.to().toString()));
        Dataset<Row> touched = landed.select("declaration_no").distinct();
        // Every silver read below is restricted to the files whose declaration numbers can match.
        Column inRange = KeyRanges.of(landed, CLUSTERING).filter();
        Set<Integer> eventYears = eventYears(ctx, landed, touched, inRange);
        Dataset<Row> ev = wh.read(spark, Layer.SILVER, events).where(col("event_year").isin(eventYears.toArray()))
                .where(inRange).join(touched, "declaration_no", "left_semi");
        Dataset<Row> decl = wh.exists(spark, Layer.SILVER, Source.DECLARATIONS.folder())
                ? wh.read(spark, Layer.SILVER, Source.DECLARATIONS.folder()).where(inRange).select("declaration_no", "registration_year")
                        .join(touched, "declaration_no", "left_semi")
                : spark.emptyDataFrame().select(lit(null).cast("string").alias("declaration_no"), lit(null).cast("int").alias("registration_year"));
        Dataset<Row> rows = Milestones.pivot(ev, decl)
                .withColumn("_run_id", lit(ctx.runId())).withColumn("_ingested_at", current_timestamp())
                .persist(ctx.cacheLevel());
        try {
            long n = 0;
            List<Object> ys = new ArrayList<>();
            for (Row r : rows.groupBy("registration_year").count().collectAsList()) {
                n += r.getLong(1);
                if (!r.isNullAt(0)) {
                    ys.add(r.getInt(0));
                    years.add(r.getInt(0));
                }
            }
            if (n == 0) return List.of();
            long v = Tables.merge(spark, wh, Layer.SILVER, TABLE, rows, List.of("declaration_no"), "registration_year", ys, null,
                    ctx.deletionVectors(), CLUSTERING);
            return List.of(TableWrite.derived("silver." + TABLE, n, v).scoped(TableWrite.runRows(ctx.runId())));
        } finally {
            rows.unpersist();
        }
    }
}
