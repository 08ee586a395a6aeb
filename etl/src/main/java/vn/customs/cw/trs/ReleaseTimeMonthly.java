package vn.customs.cw.trs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.config.CwConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

/**
 * Continuous mode (gold.release_time_monthly): the campaign measures for every declaration, by
 * registration month and year, per office and department (office_code = ALL), direction and
 * final channel (channel = ALL for every channel). A declaration is measured when it is finished
 * now (not cancelled, released); the rest are counted as unfinished. Extreme values are flagged
 * by the IQR rule within department × direction × period. The previous period is the same month
 * (or year) one year earlier.
 */
public final class ReleaseTimeMonthly {
    private ReleaseTimeMonthly() {}

    /** Years to rewrite for a set of affected registration years: each year and the one after. */
    public static Set<Integer> targetYears(Set<Integer> affected) {
        Set<Integer> out = new TreeSet<>(affected);
        affected.forEach(y -> out.add(y + 1));
        return out;
    }

    /** Registration years the computation of {@code targetYears} reads (each and the year before). */
    public static Set<Integer> inputYears(Set<Integer> targetYears) {
        Set<Integer> out = new TreeSet<>(targetYears);
        targetYears.forEach(y -> out.add(y - 1));
        return out;
    }

    /**
     * @param facts       gold.release_time_facts (at least the years of {@link #inputYears})
     * @param targetYears the years whose rows are returned; null for every year present
     */
    public static Dataset<Row> monthly(CwConfig.Trs trs, Dataset<Row> facts, Set<Integer> targetYears) {
        Dataset<Row> base = facts.select(col("department_code"), col("office_code"), col("direction"),
                col("final_channel"), col("is_cancelled"), col("is_finished").as("is_measured"),
                col("release_seconds"), col("customs_seconds"), col("agency_seconds"), col("trader_seconds"),
                col("port_seconds"), col("registration_year").as("year"), col("registration_month").as("month"));
        double k = trs.extremeValues().k();
        base = TrsStats.flagExtremes(base, k, "department_code", "direction", "year", "month")
                .withColumnRenamed("is_extreme", "is_extreme_month");
        base = TrsStats.flagExtremes(base, k, "department_code", "direction", "year")
                .withColumnRenamed("is_extreme", "is_extreme_year");
        Column periods = array(
                struct(lit("MONTH").as("period_type"),
                        format_string("%04d-%02d", col("year"), col("month")).as("period"),
                        col("month").as("month"), col("is_extreme_month").as("is_extreme")),
                struct(lit("YEAR").as("period_type"), col("year").cast("string").as("period"),
                        lit(null).cast("int").as("month"), col("is_extreme_year").as("is_extreme")));
        Dataset<Row> rows = base.withColumn("p", explode(periods))
                .withColumn("office_code", explode(array(col("office_code"), lit("ALL"))))
                .withColumn("channel", explode(array(coalesce(col("final_channel"), lit("UNKNOWN")), lit("ALL"))))
                .select(col("p.period_type").as("period_type"), col("p.period").as("period"), col("year"),
                        col("p.month").as("month"), col("department_code"), col("office_code"), col("direction"),
                        col("channel"), col("is_cancelled"), col("is_measured"), col("p.is_extreme").as("is_extreme"),
                        col("release_seconds"), col("customs_seconds"), col("agency_seconds"), col("trader_seconds"),
                        col("port_seconds"));
        List<Column> aggs = TrsStats.aggregates(trs.extremeValues().excludeFromMean());
        Dataset<Row> agg = TrsStats.prepare(rows)
                .groupBy(col("period_type"), col("period"), col("year"), col("month"), col("department_code"),
                        col("office_code"), col("direction"), col("channel"))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
        Dataset<Row> prev = agg.select(col("period_type").as("p_type"), col("year").plus(1).as("p_year"),
                col("month").as("p_month"), col("department_code").as("p_department"), col("office_code").as("p_office"),
                col("direction").as("p_direction"), col("channel").as("p_channel"), col("mean_seconds").as("prev_mean_seconds"));
        Dataset<Row> out = TrsStats.withChange(agg.join(prev, col("period_type").equalTo(col("p_type"))
                .and(col("year").equalTo(col("p_year"))).and(col("month").eqNullSafe(col("p_month")))
                .and(col("department_code").equalTo(col("p_department"))).and(col("office_code").equalTo(col("p_office")))
                .and(col("direction").equalTo(col("p_direction"))).and(col("channel").equalTo(col("p_channel"))), "left"));
        if (targetYears != null) {
            out = out.filter(col("year").isin(targetYears.toArray()));
        }
        return out.select(col("period_type"), col("period"), col("year"), col("month"), col("department_code"),
                col("office_code"), col("direction"), col("channel"), col("declarations"), col("finished"),
                col("unfinished"), col("cancelled"), col("extreme_values"), col("mean_seconds"), col("median_seconds"),
                col("p90_seconds"), col("min_seconds"), col("max_seconds"), col("customs_share"),
                col("prev_mean_seconds"), col("change_seconds"), col("change_pct"));
    }
}
