package vn.customs.cw.trs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * The statistics every release-time table shares. Input rows are declarations with
 * {@code is_cancelled}, {@code is_measured} (finished within the measurement, with a release time:
 * {@link #measured}), {@code is_release_before_registration} (finished within the measurement, but
 * released before it was registered: {@link #releasedBeforeRegistered}), {@code is_extreme},
 * {@code release_seconds} and the four party seconds.
 *
 * <p><b>Released before registered.</b> A declaration whose release (or clearance) instant is earlier
 * than its registration has no release time: the method measures registration → release, and a
 * negative elapsed time is a recording error of the steps (a late or mis-dated event), not a fast
 * release. Such a declaration is finished (its goods left) and is counted in {@code finished} and in
 * {@code release_before_registration}, and is left out of every statistic (mean, percentiles,
 * minimum, maximum, shares, extreme-value bounds). The published method (DOMAIN.md) names no rule for
 * such a record; this is the warehouse's decision (docs/tables.md): averaged in, one such declaration
 * lowers a department's mean by its negative seconds, and leadership ranks departments on that mean;
 * counted as unfinished, it would be chased as goods still waiting. The count stays visible in every
 * statistics table and report, so a department with many is seen, not hidden. Steps out of order
 * elsewhere (a clearance before the release, a document check before the registration) leave the
 * release time defined and the declaration measured; silver.declaration_milestones.is_in_order shows them.
 *
 * <p>Percentiles are exact ({@link ExactPercentiles}: Spark's {@code percentile}, linear interpolation
 * between order statistics, on primitive arrays), never {@code approx_percentile}: the TRS method publishes medians and the 90th percentile of a
 * few hundred declarations and leadership ranks departments on them, so a sketch's error is not
 * acceptable. Medians, p90, min and max are over every measured declaration; only the mean leaves
 * extreme values out, and only when {@code exclude-extremes-from-mean} says so.
 */
public final class TrsStats {
    private TrsStats() {}

    /** Adds {@code m_seconds}: the release time of a measured declaration, null otherwise. */
    public static Dataset<Row> prepare(Dataset<Row> rows) {
        return rows.withColumn("m_seconds", when(col("is_measured"), col("release_seconds")));
    }

    /**
     * {@code is_measured} of a finished declaration ({@code finished}, e.g. within a campaign's follow-up):
     * finished with a release time that does not precede its registration.
     */
    public static Column measured(Column finished) {
        return coalesce(finished.and(col("release_seconds").geq(0)), lit(false));
    }

    /** {@code is_release_before_registration} of a finished declaration: see the class comment. */
    public static Column releasedBeforeRegistered(Column finished) {
        return coalesce(finished.and(col("release_seconds").lt(0)), lit(false));
    }

    /**
     * declarations, finished, unfinished, cancelled, extreme_values, release_before_registration,
     * mean/median/p90/min/max_seconds,
     * customs/agency/trader/port_share. Call on a frame passed through {@link #prepare}, and pass the
     * aggregated frame through {@link #unpack}, which makes median_seconds and p90_seconds of one
     * column.
     */
    public static List<Column> aggregates(boolean excludeExtremesFromMean) {
        Column measured = col("is_measured");
        Column meanInput = excludeExtremesFromMean
                ? when(measured.and(not(col("is_extreme"))), col("release_seconds"))
                : col("m_seconds");
        Column measuredTotal = sum(col("m_seconds"));
        List<Column> a = counts();
        a.addAll(List.of(
                avg(meanInput).as("mean_seconds"),
                // One aggregate for both levels (values collected and sorted once): unpack() splits it.
                ExactPercentiles.of(col("m_seconds"), 0.5, 0.9).as(MEDIAN_P90),
                min(col("m_seconds")).as("min_seconds"),
                max(col("m_seconds")).as("max_seconds")));
        for (String p : ReleaseTimeFacts.PARTIES) {
            String name = p.toLowerCase();
            a.add(sum(when(measured, col(name + "_seconds"))).divide(nullif(measuredTotal)).as(name + "_share"));
        }
        return a;
    }

    /**
     * {@link #aggregates} in two steps, for statistics at nested levels (an office and its
     * department, a channel and ALL): {@link #partials} per group of the finest level, then, after
     * the fine rows are exploded into the coarser groups, {@link #rollup} per group. Each
     * declaration is read once instead of once per level. The results are the bits of
     * {@link #aggregates}: counts, minima, maxima and sums of whole seconds add up exactly (a
     * double holds every whole number below 2^53 and a national year sums to about 10^12), the mean
     * is the same sum over the same count, and the percentiles read the same values.
     * Call on a frame passed through {@link #prepare}.
     */
    public static List<Column> partials(boolean excludeExtremesFromMean) {
        Column measured = col("is_measured");
        Column meanInput = excludeExtremesFromMean
                ? when(measured.and(not(col("is_extreme"))), col("release_seconds"))
                : col("m_seconds");
        List<Column> a = counts();
        a.addAll(List.of(
                sum(meanInput.cast("long")).as("mean_sum"),
                count(meanInput).as("mean_count"),
                ExactPercentiles.collect(col("m_seconds")).as("measured_values"),
                min(col("m_seconds")).as("min_seconds"),
                max(col("m_seconds")).as("max_seconds"),
                sum(col("m_seconds")).as("measured_total")));
        for (String p : ReleaseTimeFacts.PARTIES) {
            String name = p.toLowerCase();
            a.add(sum(when(measured, col(name + "_seconds"))).as(name + "_total"));
        }
        return a;
    }

    /** The statistics of {@link #aggregates} from rows of {@link #partials}; then {@link #unpack}. */
    public static List<Column> rollup() {
        Column meanCount = sum(col("mean_count"));
        Column measuredTotal = sum(col("measured_total"));
        List<Column> a = new ArrayList<>(List.of(
                // count() is never null, and the table's column says so: keep the schema of aggregates().
                coalesce(sum(col("declarations")), lit(0L)).as("declarations"),
                sum(col("finished")).as("finished"),
                sum(col("unfinished")).as("unfinished"),
                sum(col("cancelled")).as("cancelled"),
                sum(col("extreme_values")).as("extreme_values"),
                sum(col("release_before_registration")).as("release_before_registration"),
                // avg's own evaluation: its double sum over its count, null when nothing was averaged.
                when(meanCount.notEqual(0), sum(col("mean_sum")).cast("double").divide(meanCount.cast("double")))
                        .as("mean_seconds"),
                ExactPercentiles.ofCollected(col("measured_values"), 0.5, 0.9).as(MEDIAN_P90),
                min(col("min_seconds")).as("min_seconds"),
                max(col("max_seconds")).as("max_seconds")));
        for (String p : ReleaseTimeFacts.PARTIES) {
            String name = p.toLowerCase();
            a.add(sum(col(name + "_total")).divide(nullif(measuredTotal)).as(name + "_share"));
        }
        return a;
    }

    /**
     * declarations, finished, unfinished, cancelled, extreme_values and release_before_registration: the
     * same in both ways. declarations = finished + unfinished + cancelled; release_before_registration is
     * part of finished, and not of any statistic.
     */
    private static List<Column> counts() {
        Column measured = col("is_measured");
        Column beforeRegistered = col("is_release_before_registration");
        Column finished = measured.or(beforeRegistered);
        return new ArrayList<>(List.of(
                count(lit(1)).as("declarations"),
                sum(when(finished, 1L).otherwise(0L)).as("finished"),
                sum(when(not(col("is_cancelled")).and(not(finished)), 1L).otherwise(0L)).as("unfinished"),
                sum(when(col("is_cancelled"), 1L).otherwise(0L)).as("cancelled"),
                sum(when(measured.and(col("is_extreme")), 1L).otherwise(0L)).as("extreme_values"),
                sum(when(beforeRegistered, 1L).otherwise(0L)).as("release_before_registration")));
    }

    /** The column of {@link #aggregates} holding [median, P90]. */
    static final String MEDIAN_P90 = "median_p90_seconds";

    /**
     * median_seconds and p90_seconds from the one percentile aggregate of {@link #aggregates}, which
     * must stay one column until the aggregation is done: Spark resolves a user aggregate's
     * encoders separately at each place it is read, so reading [0] and [1] inside {@code agg}
     * would compute it twice (ExactPercentilesTest).
     */
    public static Dataset<Row> unpack(Dataset<Row> aggregated) {
        return aggregated.withColumn("median_seconds", col(MEDIAN_P90).getItem(0))
                .withColumn("p90_seconds", col(MEDIAN_P90).getItem(1))
                .drop(MEDIAN_P90);
    }

    static Column nullif(Column c) {
        return when(c.notEqual(0), c);
    }

    /**
     * Flags extreme values: a measured release time above Q3 + k·IQR of its group (the configured
     * rule, cw.trs.extreme-values). Adds {@code is_extreme}.
     */
    public static Dataset<Row> flagExtremes(Dataset<Row> rows, double k, String... groupCols) {
        Column[] g = Arrays.stream(groupCols).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        Dataset<Row> q = rows.filter(col("is_measured"))
                .groupBy(g)
                .agg(ExactPercentiles.of(col("release_seconds"), 0.25, 0.75).as("quartiles"))
                .withColumn("q1", col("quartiles").getItem(0))
                .withColumn("q3", col("quartiles").getItem(1))
                .withColumn("extreme_above", col("q3").plus(col("q3").minus(col("q1")).multiply(k)))
                .drop("quartiles", "q1", "q3");
        return rows.join(q, scala.collection.JavaConverters.asScalaBuffer(Arrays.asList(groupCols)).toSeq(), "left")
                .withColumn("is_extreme", coalesce(col("is_measured").and(col("release_seconds").gt(col("extreme_above"))),
                        lit(false)))
                .drop("extreme_above");
    }

    /** Change against a previous value: adds change_seconds and change_pct (percent units, −4.88). */
    public static Dataset<Row> withChange(Dataset<Row> rows) {
        return rows.withColumn("change_seconds", col("mean_seconds").minus(col("prev_mean_seconds")))
                .withColumn("change_pct", col("change_seconds").divide(nullif(col("prev_mean_seconds"))).multiply(100.0));
    }
}
