package vn.customs.cw.trs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.DataFrameWriter;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.Stage;
import vn.customs.cw.pipeline.TableWrite;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * {@code gold.release_time}: the release-time engine. Reads silver.declarations,
 * silver.declaration_milestones, silver.ref_calendar and silver.ref_offices and writes, one Delta
 * commit per table:
 * <ul>
 *   <li>gold.release_time_facts and gold.release_time_intervals (partitioned by registration_year),
 *       replacing the run's affected registration years ({@code replaceWhere});</li>
 *   <li>gold.release_time_monthly (partitioned by year), replacing the affected years and the year
 *       after each (their prev_* columns read the affected year);</li>
 *   <li>gold.trs_campaign_summary, trs_breakdowns, trs_interval_shares, trs_excluded_units and
 *       trs_unfinished for every configured campaign, overwritten whole: they are small, a campaign's
 *       comparison reads its previous campaign, and a campaign dropped from conf must disappear.</li>
 * </ul>
 * An empty {@link RunContext#affectedYears()} means a full rebuild of every year in silver.
 * Re-running with the same silver gives the same tables (idempotent).
 */
public final class ReleaseTimeStage implements Stage {
    public static final String NAME = "gold.release_time";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        SparkSession spark = ctx.spark();
        Warehouse wh = ctx.warehouse();
        CwConfig.Trs trs = ctx.config().trs();
        Set<Integer> affected = ctx.affectedYears() == null ? Set.of() : ctx.affectedYears();
        boolean full = affected.isEmpty();

        Dataset<Row> declarations = wh.read(spark, Layer.SILVER, "declarations");
        Dataset<Row> milestones = wh.read(spark, Layer.SILVER, "declaration_milestones");
        if (!full) {
            declarations = declarations.filter(col("registration_year").isin(affected.toArray()));
            milestones = milestones.filter(col("registration_year").isin(affected.toArray()));
        }
        List<TableWrite> writes = new ArrayList<>();
        // Declarations × milestones is the widest shuffle of the stage: joined once, read by both tables.
        var level = ctx.cacheLevel();
        Dataset<Row> joined = ReleaseTimeFacts.joined(declarations, milestones).persist(level);
        Dataset<Row> intervals = ReleaseTimeFacts.intervalsOf(joined).persist(level);
        Dataset<Row> facts = ReleaseTimeFacts.factsOf(joined, intervals).persist(level);
        String yearsPredicate = full ? null : "registration_year IN (" + join(affected) + ")";
        writes.add(write(spark, wh, level, "release_time_facts", facts, "registration_year", yearsPredicate).scoped(yearsPredicate));
        writes.add(write(spark, wh, level, "release_time_intervals", intervals, "registration_year", yearsPredicate).scoped(yearsPredicate));
        intervals.unpersist();
        facts.unpersist();
        joined.unpersist();

        Dataset<Row> allFacts = wh.read(spark, Layer.GOLD, "release_time_facts");
        Dataset<Row> allIntervals = wh.read(spark, Layer.GOLD, "release_time_intervals");
        Set<Integer> targets = full ? null : ReleaseTimeMonthly.targetYears(affected);
        Dataset<Row> monthlyInput = full ? allFacts
                : allFacts.filter(col("registration_year").isin(ReleaseTimeMonthly.inputYears(targets).toArray()));
        String monthlyYears = full ? null : "year IN (" + join(targets) + ")";
        writes.add(write(spark, wh, level, "release_time_monthly", ReleaseTimeMonthly.monthly(trs, monthlyInput, targets),
                "year", monthlyYears).scoped(monthlyYears));

        if (!trs.campaigns().isEmpty()) {
            Campaigns.Result r = Campaigns.compute(spark, trs, trs.campaigns(), allFacts, allIntervals,
                    wh.read(spark, Layer.SILVER, "ref_calendar"), wh.read(spark, Layer.SILVER, "ref_offices"));
            writes.add(write(spark, wh, level, "trs_campaign_summary", r.summary(), null, null));
            writes.add(write(spark, wh, level, "trs_breakdowns", r.breakdowns(), null, null));
            writes.add(write(spark, wh, level, "trs_interval_shares", r.intervalShares(), null, null));
            writes.add(write(spark, wh, level, "trs_excluded_units", r.excluded(), null, null));
            writes.add(write(spark, wh, level, "trs_unfinished", r.unfinished(), null, null));
        }
        return writes;
    }

    private static String join(Set<Integer> years) {
        return years.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** One commit: overwrite the table, or only the rows matching {@code replaceWhere} when given. */
    static TableWrite write(SparkSession spark, Warehouse wh, org.apache.spark.storage.StorageLevel level, String table, Dataset<Row> df,
                            String partitionColumn, String replaceWhere) {
        Dataset<Row> data = df.persist(level);
        long rows = data.count();
        // Static, whatever the session says: the full rebuild must drop years no longer in silver, and
        // Delta refuses replaceWhere/overwriteSchema together with dynamic partition overwrite.
        DataFrameWriter<Row> w = data.write().format("delta").mode(SaveMode.Overwrite)
                .option("partitionOverwriteMode", "static");
        if (partitionColumn != null) w = w.partitionBy(partitionColumn);
        if (replaceWhere != null && wh.exists(spark, Layer.GOLD, table)) {
            w = w.option("replaceWhere", replaceWhere);
        } else {
            w = w.option("overwriteSchema", "true");
        }
        w.save(wh.path(Layer.GOLD, table));
        data.unpersist();
        return TableWrite.derived("gold." + table, rows, wh.version(spark, Layer.GOLD, table));
    }
}
