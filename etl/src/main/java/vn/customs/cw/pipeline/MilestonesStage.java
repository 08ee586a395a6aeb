package vn.customs.cw.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.contracts.Source;
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
 * and this stage, the re-run finds the events unchanged but still rebuilds their declarations).
 */
public final class MilestonesStage implements ReportingStage {
    public static final String TABLE = "declaration_milestones";
    private final Set<Integer> years = new LinkedHashSet<>();

    @Override public String name() { return "silver:" + TABLE; }

    @Override public Set<Integer> affectedYears() { return years; }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        var spark = ctx.spark();
        var wh = ctx.warehouse();
        String events = Source.DECLARATION_EVENTS.folder();
        if (!wh.exists(spark, Layer.BRONZE, events) || !wh.exists(spark, Layer.SILVER, events)) return List.of();
        Dataset<Row> touched = wh.read(spark, Layer.BRONZE, events)
                .filter(col("_landing_date").between(ctx.from().toString(), ctx.to().toString()))
                .select("declaration_no").distinct();
        Dataset<Row> ev = wh.read(spark, Layer.SILVER, events).join(touched, "declaration_no", "left_semi");
        Dataset<Row> decl = wh.exists(spark, Layer.SILVER, Source.DECLARATIONS.folder())
                ? wh.read(spark, Layer.SILVER, Source.DECLARATIONS.folder()).select("declaration_no", "registration_year")
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
            long v = Tables.merge(spark, wh, Layer.SILVER, TABLE, rows, List.of("declaration_no"), "registration_year", ys, null);
            return List.of(TableWrite.derived("silver." + TABLE, n, v).scoped(TableWrite.runRows(ctx.runId())));
        } finally {
            rows.unpersist();
        }
    }
}
