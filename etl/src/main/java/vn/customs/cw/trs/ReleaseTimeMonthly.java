package vn.customs.cw.trs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.config.CwConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Collectors;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

/**
 * Continuous mode (gold.release_time_monthly): the campaign measures for every declaration, by
 * registration month and year, per office and department (office_code = ALL), direction and
 * final channel (channel = ALL for every channel). A declaration is measured when it is finished
 * now (not cancelled, released) at or after its registration; one released before it was registered
 * is finished but counted apart and never measured ({@link TrsStats}); the rest are unfinished.
 * Extreme values are flagged by the IQR rule within department × direction × period. The previous period is the same month
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
     * The statistics without the prev_* columns that {@link #monthly} and {@link #touched} start from:
     * every period of {@code facts} when {@code months} is null (a full rebuild, or whole years: the
     * years of {@link #inputYears}), else the MONTH rows of {@code months} and the YEAR rows of their
     * years. Both read it twice, as the periods and as the previous year's means: persist it first.
     * Left to Spark, the plan held the year's aggregation twice; persisted, a night's monthly rows took
     * 28.6 s instead of 39.8 s on a 5 M year (docs/performance.md), with the same rows.
     */
    public static Dataset<Row> statistics(CwConfig.Trs trs, Dataset<Row> facts, SortedMap<Integer, SortedSet<Integer>> months) {
        if (months == null) return aggregate(trs, facts, lit(true));
        return aggregate(trs, facts.filter(col("registration_year").isin(months.keySet().toArray())),
                inMonths(months, col("registration_year"), col("registration_month")));
    }

    /**
     * Every period's rows (a full rebuild, or whole years) from {@link #statistics} of every month.
     *
     * @param agg         {@code statistics(trs, facts, null)} of gold.release_time_facts (at least the years of
     *                    {@link #inputYears}), persisted
     * @param targetYears the years whose rows are returned; null for every year present
     */
    public static Dataset<Row> monthly(Dataset<Row> agg, Set<Integer> targetYears) {
        Dataset<Row> out = withPrevious(agg, agg);
        if (targetYears != null) {
            out = out.filter(col("year").isin(targetYears.toArray()));
        }
        return out.select(COLUMNS);
    }

    /**
     * The rows a short run (a night) changes, when it rewrote the facts of {@code months} only:
     * the MONTH rows of those months and the YEAR rows of their years, recomputed from the facts;
     * and the same periods one year later, whose statistics stand and whose {@code prev_*} columns
     * now read the recomputed means. A YEAR row still needs every declaration of its year (exact
     * median), but no other month is recomputed and the following year is not re-aggregated.
     * Write the result with {@link #replacedBy} as the replace predicate.
     *
     * @param agg      {@code statistics(trs, facts, months)} of gold.release_time_facts after the run's
     *                 months were replaced, persisted
     * @param existing gold.release_time_monthly before this write
     */
    public static Dataset<Row> touched(Dataset<Row> agg, Dataset<Row> existing, SortedMap<Integer, SortedSet<Integer>> months) {
        Column recomputed = periods(months, 0);
        // Previous periods come from this computation where it replaced them, else from the table.
        Dataset<Row> means = agg.select(MEAN_KEY).union(existing.filter(not(recomputed)).select(MEAN_KEY));
        Dataset<Row> next = existing.filter(periods(months, 1).and(not(recomputed)))
                .drop("prev_mean_seconds", "change_seconds", "change_pct");
        return withPrevious(agg, means).select(COLUMNS).union(withPrevious(next, means).select(COLUMNS));
    }

    /** The rows {@link #touched} returns, as a SQL predicate on release_time_monthly (its replaceWhere). */
    public static String replacedBy(SortedMap<Integer, SortedSet<Integer>> months) {
        List<String> parts = new ArrayList<>();
        for (int shift : new int[]{0, 1}) {
            months.forEach((y, ms) -> parts.add("(year = " + (y + shift) + " AND (period_type = 'YEAR' OR month IN ("
                    + ms.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")))"));
        }
        return String.join(" OR ", parts);
    }

    /** YEAR rows of the months' years and MONTH rows of the months, {@code shift} years later. */
    private static Column periods(SortedMap<Integer, SortedSet<Integer>> months, int shift) {
        Column c = lit(false);
        for (var e : months.entrySet()) {
            c = c.or(col("year").equalTo(e.getKey() + shift).and(col("period_type").equalTo("YEAR")
                    .or(col("month").isin(e.getValue().toArray()))));
        }
        return c;
    }

    /** Rows whose (year, month) is one of {@code months}. */
    static Column inMonths(SortedMap<Integer, SortedSet<Integer>> months, Column year, Column month) {
        Column c = lit(false);
        for (var e : months.entrySet()) c = c.or(year.equalTo(e.getKey()).and(month.isin(e.getValue().toArray())));
        return c;
    }

    /**
     * Statistics without the prev_* columns: YEAR rows for every year of {@code facts}, MONTH rows for
     * the facts matching {@code monthRows}. Extreme values are flagged within department × direction
     * × the period, so a month's flags need only that month's facts.
     */
    static Dataset<Row> aggregate(CwConfig.Trs trs, Dataset<Row> facts, Column monthRows) {
        Dataset<Row> base = facts.select(col("department_code"), col("office_code"), col("direction"),
                col("final_channel"), col("is_cancelled"),
                TrsStats.measured(col("is_finished")).as("is_measured"),
                TrsStats.releasedBeforeRegistered(col("is_finished")).as("is_release_before_registration"),
                col("release_seconds"), col("customs_seconds"), col("agency_seconds"), col("trader_seconds"),
                col("port_seconds"), col("registration_year").as("year"), col("registration_month").as("month"),
                monthRows.as("is_month_row"));
        double k = trs.extremeValues().k();
        Dataset<Row> monthRowsOf = TrsStats.flagExtremes(base.filter(col("is_month_row")), k, "department_code", "direction", "year", "month")
                .withColumn("period_type", lit("MONTH"))
                .withColumn("period", format_string("%04d-%02d", col("year"), col("month")));
        Dataset<Row> yearRowsOf = TrsStats.flagExtremes(base, k, "department_code", "direction", "year")
                .withColumn("period_type", lit("YEAR"))
                .withColumn("period", col("year").cast("string"))
                .withColumn("month", lit(null).cast("int"));
        Column[] rowCols = {col("period_type"), col("period"), col("year"), col("month"), col("department_code"),
                col("office_code"), col("final_channel"), col("direction"), col("is_cancelled"), col("is_measured"),
                col("is_release_before_registration"), col("is_extreme"), col("release_seconds"), col("customs_seconds"),
                col("agency_seconds"), col("trader_seconds"), col("port_seconds")};
        Dataset<Row> rows = monthRowsOf.select(rowCols).union(yearRowsOf.select(rowCols))
                .withColumn("channel", coalesce(col("final_channel"), lit("UNKNOWN")));
        Column[] keys = {col("period_type"), col("period"), col("year"), col("month"), col("department_code"),
                col("office_code"), col("direction"), col("channel")};
        // Per office and channel first, then those few rows into office ALL and channel ALL: a
        // declaration is read once, not four times (TrsStats.partials gives the same bits).
        List<Column> partials = TrsStats.partials(trs.extremeValues().excludeFromMean());
        Dataset<Row> fine = TrsStats.prepare(rows).groupBy(keys)
                .agg(partials.get(0), partials.subList(1, partials.size()).toArray(Column[]::new))
                .withColumn("office_code", explode(array(col("office_code"), lit("ALL"))))
                .withColumn("channel", explode(array(col("channel"), lit("ALL"))));
        List<Column> rollup = TrsStats.rollup();
        return TrsStats.unpack(fine.groupBy(keys).agg(rollup.get(0), rollup.subList(1, rollup.size()).toArray(Column[]::new)));
    }

    /** Adds prev_mean_seconds (the same period one year earlier, from {@code means}) and the change. */
    static Dataset<Row> withPrevious(Dataset<Row> rows, Dataset<Row> means) {
        Dataset<Row> prev = means.select(col("period_type").as("p_type"), col("year").plus(1).as("p_year"),
                col("month").as("p_month"), col("department_code").as("p_department"), col("office_code").as("p_office"),
                col("direction").as("p_direction"), col("channel").as("p_channel"), col("mean_seconds").as("prev_mean_seconds"));
        return TrsStats.withChange(rows.join(prev, col("period_type").equalTo(col("p_type"))
                .and(col("year").equalTo(col("p_year"))).and(col("month").eqNullSafe(col("p_month")))
                .and(col("department_code").equalTo(col("p_department"))).and(col("office_code").equalTo(col("p_office")))
                .and(col("direction").equalTo(col("p_direction"))).and(col("channel").equalTo(col("p_channel"))), "left"));
    }

    private static final Column[] MEAN_KEY = {col("period_type"), col("year"), col("month"), col("department_code"),
            col("office_code"), col("direction"), col("channel"), col("mean_seconds")};

    /** The table's columns, in order. */
    public static List<String> columnNames() {
        return java.util.Arrays.stream(COLUMNS).map(Column::toString).toList();
    }

    private static final Column[] COLUMNS = {col("period_type"), col("period"), col("year"), col("month"),
            col("department_code"), col("office_code"), col("direction"), col("channel"), col("declarations"),
            col("finished"), col("unfinished"), col("cancelled"), col("extreme_values"),
            col("release_before_registration"), col("mean_seconds"), col("median_seconds"), col("p90_seconds"),
            col("min_seconds"), col("max_seconds"), col("customs_share"), col("prev_mean_seconds"),
            col("change_seconds"), col("change_pct")};
}
