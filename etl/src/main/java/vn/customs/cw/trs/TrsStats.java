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
 * {@code is_cancelled}, {@code is_measured} (finished within the measurement), {@code is_extreme},
 * {@code release_seconds} and the four party seconds.
 *
 * <p>Percentiles are exact ({@code percentile}, linear interpolation between order statistics),
 * never {@code approx_percentile}: the TRS method publishes medians and the 90th percentile of a
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
     * declarations, finished, unfinished, cancelled, extreme_values, mean/median/p90/min/max_seconds,
     * customs/agency/trader/port_share. Call on a frame passed through {@link #prepare}.
     */
    public static List<Column> aggregates(boolean excludeExtremesFromMean) {
        Column measured = col("is_measured");
        Column meanInput = excludeExtremesFromMean
                ? when(measured.and(not(col("is_extreme"))), col("release_seconds"))
                : col("m_seconds");
        Column measuredTotal = sum(col("m_seconds"));
        List<Column> a = new ArrayList<>(List.of(
                count(lit(1)).as("declarations"),
                sum(when(measured, 1L).otherwise(0L)).as("finished"),
                sum(when(not(col("is_cancelled")).and(not(measured)), 1L).otherwise(0L)).as("unfinished"),
                sum(when(col("is_cancelled"), 1L).otherwise(0L)).as("cancelled"),
                sum(when(measured.and(col("is_extreme")), 1L).otherwise(0L)).as("extreme_values"),
                avg(meanInput).as("mean_seconds"),
                // One exact percentile over an array of levels: Spark dedupes the aggregate, so the
                // group's values are collected and sorted once for both (two calls did it twice).
                expr("percentile(m_seconds, array(0.5, 0.9))[0]").as("median_seconds"),
                expr("percentile(m_seconds, array(0.5, 0.9))[1]").as("p90_seconds"),
                min(col("m_seconds")).as("min_seconds"),
                max(col("m_seconds")).as("max_seconds")));
        for (String p : ReleaseTimeFacts.PARTIES) {
            String name = p.toLowerCase();
            a.add(sum(when(measured, col(name + "_seconds"))).divide(nullif(measuredTotal)).as(name + "_share"));
        }
        return a;
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
                .agg(expr("percentile(release_seconds, array(0.25, 0.75))[0]").as("q1"),
                        expr("percentile(release_seconds, array(0.25, 0.75))[1]").as("q3"))
                .withColumn("extreme_above", col("q3").plus(col("q3").minus(col("q1")).multiply(k)))
                .drop("q1", "q3");
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
