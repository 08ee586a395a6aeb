package vn.customs.cw.trs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.config.CwConfig;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

/**
 * Measurement campaigns of the Time Release Study (gold.trs_* tables).
 *
 * <ul>
 *   <li><b>Measurement week</b>: the first N working days on or after the campaign start, per office,
 *       on silver.ref_calendar. Border-gate offices ({@code ref_offices.is_border_gate}) work Saturdays,
 *       so their days are {@code is_border_working_day} (Mon–Sat); other offices use
 *       {@code is_working_day} (Mon–Fri). Public holidays are off for both. Tà Lùng's week of
 *       19–24 Oct 2020 (Mon–Sat) is such a week. So the week of a campaign can end on different days
 *       for different offices of one department; the department row shows the earliest start and the
 *       latest end.</li>
 *   <li><b>Who is measured</b>: 100% of the declarations registered (local date) on a week day of their
 *       office. Cancelled ones are counted and left out. A declaration whose release (measured end) is
 *       after the follow-up cut-off date (inclusive, local time) is <i>unfinished</i>: counted and listed
 *       in gold.trs_unfinished, never averaged in and never dropped. One released by the cut-off but
 *       before it was registered is finished, counted in {@code release_before_registration} and never
 *       averaged in ({@link TrsStats}).</li>
 *   <li><b>Offices left out</b> (gold.trs_excluded_units): offices of the department not listed in the
 *       campaign's {@code offices} ({@code NOT_SELECTED}), and offices with fewer non-cancelled
 *       declarations registered in the week than {@code min-declarations-per-office}
 *       ({@code TOO_FEW_DECLARATIONS}, "2 declarations < 3"). Their declarations are in no statistic.</li>
 *   <li><b>Extreme values</b>: the IQR rule over the campaign's department × direction group.</li>
 *   <li><b>Shares</b> (customs, agency, trader, port): sum of the party's seconds inside the release time
 *       over the sum of release times, for measured declarations (extreme ones included).</li>
 *   <li><b>Comparison</b>: with the configured previous campaign, same office (or department) and
 *       direction: change_seconds = mean − previous mean, change_pct in percent units.</li>
 *   <li><b>Rank</b>: offices by mean within campaign × direction, 1 = fastest (ties share a rank).</li>
 *   <li><b>Bottleneck</b>: the interval (from → to milestone, party) with the largest share of the
 *       office's measured time.</li>
 * </ul>
 */
public final class Campaigns {
    private Campaigns() {}

    /**
     * All tables of a computation; every one carries campaign_id. {@code cached} are the
     * intermediate results they share: {@link #release} them once the tables are written, because a
     * cache that outlives the run is rebuilt from its old plan after a later commit to the facts
     * (which Delta cannot read once the facts have deletion vectors).
     */
    public record Result(Dataset<Row> summary, Dataset<Row> breakdowns, Dataset<Row> intervalShares,
                         Dataset<Row> excluded, Dataset<Row> unfinished, List<Dataset<Row>> cached) {
        public Result(Dataset<Row> summary, Dataset<Row> breakdowns, Dataset<Row> intervalShares,
                      Dataset<Row> excluded, Dataset<Row> unfinished) {
            this(summary, breakdowns, intervalShares, excluded, unfinished, List.of());
        }

        public void release() {
            cached.forEach(Dataset::unpersist);
        }
    }

    /** The campaigns to compute with the previous campaign of each (for the comparison columns). */
    public static List<CwConfig.Campaign> withPrevious(CwConfig.Trs trs, List<CwConfig.Campaign> campaigns) {
        List<CwConfig.Campaign> out = new ArrayList<>(campaigns);
        for (CwConfig.Campaign c : campaigns) {
            if (c.previous() != null && out.stream().noneMatch(x -> x.id().equals(c.previous()))) {
                out.add(trs.campaign(c.previous()));
            }
        }
        return out;
    }

    /**
     * The last day a campaign's measurement week can reach: N working days never span more than N
     * weeks plus Tết. Its declarations are registered between the start and this day.
     */
    static LocalDate windowEnd(CwConfig.Campaign c) {
        return c.start().plusDays(c.workingDays() * 7L + 21);
    }

    /**
     * The registration months (year → months) of the campaigns' measurement-week days: the only
     * months whose facts and intervals the campaign tables read.
     */
    public static SortedMap<Integer, SortedSet<Integer>> months(SparkSession spark, List<CwConfig.Campaign> campaigns,
                                                                Dataset<Row> calendar, Dataset<Row> offices) {
        SortedMap<Integer, SortedSet<Integer>> out = new TreeMap<>();
        for (Row r : weekDays(spark, campaigns, calendar, offices)
                .select(year(col("calendar_date")), month(col("calendar_date"))).distinct().collectAsList()) {
            out.computeIfAbsent(r.getInt(0), y -> new TreeSet<>()).add(r.getInt(1));
        }
        return out;
    }

    static Dataset<Row> campaignTable(SparkSession spark, List<CwConfig.Campaign> campaigns) {
        StructType schema = new StructType()
                .add("campaign_id", DataTypes.StringType, false)
                .add("department_code", DataTypes.StringType, false)
                .add("campaign_start", DataTypes.DateType, false)
                .add("working_days", DataTypes.IntegerType, false)
                .add("window_end", DataTypes.DateType, false)
                .add("follow_up_cutoff", DataTypes.DateType, false)
                .add("prev_campaign_id", DataTypes.StringType, true)
                .add("selected_offices", DataTypes.createArrayType(DataTypes.StringType), false);
        List<Row> rows = campaigns.stream().map(c -> RowFactory.create(c.id(), c.department(),
                Date.valueOf(c.start()), c.workingDays(), Date.valueOf(windowEnd(c)), Date.valueOf(c.followUpCutoff()), c.previous(),
                c.offices().toArray(new String[0]))).map(r -> (Row) r).toList();
        return spark.createDataFrame(rows, schema);
    }

    /**
     * The measurement-week days of every office of each campaign's department: campaign_id,
     * department_code, office_code, calendar_date, day_no (1..N), is_selected, follow_up_cutoff,
     * prev_campaign_id. Fails when the calendar does not hold N working days after the start.
     */
    public static Dataset<Row> weekDays(SparkSession spark, List<CwConfig.Campaign> campaigns,
                                        Dataset<Row> calendar, Dataset<Row> offices) {
        Dataset<Row> c = campaignTable(spark, campaigns);
        Dataset<Row> o = offices.select(col("office_code"), col("department_code").as("o_department_code"),
                coalesce(col("is_border_gate").cast("boolean"), lit(false)).as("is_border_gate"));
        Dataset<Row> cal = calendar.select(col("calendar_date"), col("is_working_day"), col("is_border_working_day"));
        Dataset<Row> days = c.join(o, c.col("department_code").equalTo(o.col("o_department_code")))
                .join(broadcast(cal), cal.col("calendar_date").geq(c.col("campaign_start"))
                        .and(cal.col("calendar_date").leq(c.col("window_end"))))
                .filter(when(col("is_border_gate"), col("is_border_working_day")).otherwise(col("is_working_day")))
                .withColumn("day_no", row_number().over(Window.partitionBy("campaign_id", "office_code")
                        .orderBy("calendar_date")))
                .filter(col("day_no").leq(col("working_days")))
                .select(col("campaign_id"), col("department_code"), col("office_code"), col("calendar_date"),
                        col("day_no"), col("working_days"),
                        expr("size(selected_offices) = 0 OR array_contains(selected_offices, office_code)").as("is_selected"),
                        col("follow_up_cutoff"), col("prev_campaign_id"));
        // A week short of days means the calendar does not cover it: fail rather than measure a short week.
        List<Row> shortWeeks = days.groupBy("campaign_id", "office_code", "working_days").agg(count(lit(1)).as("n"))
                .filter(col("n").lt(col("working_days"))).limit(5).collectAsList();
        if (!shortWeeks.isEmpty()) {
            throw new IllegalStateException("silver.ref_calendar does not hold the measurement week: "
                    + shortWeeks.stream().map(r -> r.getString(0) + "/" + r.getString(1) + " has " + r.getLong(3)
                    + " of " + r.getInt(2) + " working days").toList());
        }
        return days;
    }

    public static Result compute(SparkSession spark, CwConfig.Trs trs, List<CwConfig.Campaign> campaigns,
                                 Dataset<Row> facts, Dataset<Row> intervals,
                                 Dataset<Row> calendar, Dataset<Row> offices) {
        Dataset<Row> days = weekDays(spark, campaigns, calendar, offices).cache();
        Dataset<Row> weeks = days.groupBy("campaign_id", "department_code", "office_code", "is_selected",
                        "follow_up_cutoff", "prev_campaign_id")
                .agg(min("calendar_date").as("week_start"), max("calendar_date").as("week_end"));

        // Every declaration registered on one of its office's week days.
        Dataset<Row> members = facts.join(days.select(col("campaign_id"), col("office_code").as("w_office"),
                                col("department_code").as("w_department"), col("calendar_date"), col("is_selected"),
                                col("follow_up_cutoff"), col("prev_campaign_id")),
                        col("office_code").equalTo(col("w_office")).and(col("department_code").equalTo(col("w_department")))
                                .and(col("registration_date").equalTo(col("calendar_date"))))
                .drop("w_office", "w_department", "calendar_date")
                .withColumn("is_finished_by_cutoff", col("is_finished").and(to_date(col("measured_end_at")).leq(col("follow_up_cutoff"))))
                .withColumn("is_measured", TrsStats.measured(col("is_finished_by_cutoff")))
                .withColumn("is_release_before_registration", TrsStats.releasedBeforeRegistered(col("is_finished_by_cutoff")))
                .drop("is_finished_by_cutoff");

        Dataset<Row> officeCounts = weeks.join(members.filter(not(col("is_cancelled")))
                                .groupBy(col("campaign_id").as("m_campaign"), col("office_code").as("m_office"))
                                .agg(count(lit(1)).as("n")),
                        col("campaign_id").equalTo(col("m_campaign")).and(col("office_code").equalTo(col("m_office"))), "left")
                .withColumn("declarations", coalesce(col("n"), lit(0L)));
        int min = trs.minDeclarationsPerOffice();
        Dataset<Row> excluded = officeCounts
                .withColumn("reason_code", when(not(col("is_selected")), lit("NOT_SELECTED"))
                        .when(col("declarations").lt(min), lit("TOO_FEW_DECLARATIONS")))
                .filter(col("reason_code").isNotNull())
                .select(col("campaign_id"), col("department_code"), col("office_code"), col("declarations"),
                        col("reason_code"),
                        when(col("reason_code").equalTo("NOT_SELECTED"), lit("not among the campaign's offices"))
                                .otherwise(concat(col("declarations"), lit(" declarations < " + min))).as("reason"));

        Dataset<Row> included = officeCounts.filter(col("is_selected").and(col("declarations").geq(min)))
                .select(col("campaign_id").as("i_campaign"), col("office_code").as("i_office"),
                        col("week_start"), col("week_end"));
        Dataset<Row> in = members.join(included, col("campaign_id").equalTo(col("i_campaign"))
                        .and(col("office_code").equalTo(col("i_office"))))
                .drop("i_campaign", "i_office");
        in = TrsStats.prepare(TrsStats.flagExtremes(in, trs.extremeValues().k(),
                "campaign_id", "department_code", "direction")).cache();

        Dataset<Row> summary = summary(trs, in);
        // A campaign's declarations are a few measurement weeks; the intervals are every declaration
        // of every year. Keep the members' intervals with a broadcast semi-join, so the intervals
        // table is scanned but never shuffled.
        intervals = intervals.join(broadcast(in.select(col("declaration_no").as("member_no")).distinct()),
                intervals.col("declaration_no").equalTo(col("member_no")), "left_semi");
        Dataset<Row> measuredIntervals = intervals.filter(col("is_in_release_time"))
                .select(col("declaration_no").as("iv_declaration_no"), col("from_milestone"), col("to_milestone"),
                        col("party"), col("seconds"));
        Dataset<Row> shares = intervalShares(in, measuredIntervals);
        Dataset<Row> bottleneck = shares
                .withColumn("r", row_number().over(Window.partitionBy("campaign_id", "office_code", "direction")
                        .orderBy(col("share").desc(), col("from_milestone"), col("to_milestone"))))
                .filter(col("r").equalTo(1))
                .select(col("campaign_id").as("b_campaign"), col("office_code").as("b_office"),
                        col("direction").as("b_direction"), col("from_milestone").as("bottleneck_from"),
                        col("to_milestone").as("bottleneck_to"), col("party").as("bottleneck_party"),
                        col("share").as("bottleneck_share"));
        summary = summary.join(bottleneck, col("campaign_id").equalTo(col("b_campaign"))
                        .and(col("office_code").equalTo(col("b_office"))).and(col("direction").equalTo(col("b_direction"))), "left")
                .drop("b_campaign", "b_office", "b_direction");
        Dataset<Row> weekCols = weeks.filter(col("is_selected")).groupBy(col("campaign_id").as("k_campaign"))
                .agg(min("week_start").as("all_week_start"), max("week_end").as("all_week_end"));
        Dataset<Row> officeWeeks = weeks.select(col("campaign_id").as("ow_campaign"), col("office_code").as("ow_office"),
                col("week_start").as("ow_start"), col("week_end").as("ow_end"));
        summary = summary.join(weekCols, col("campaign_id").equalTo(col("k_campaign")), "left")
                .join(officeWeeks, col("campaign_id").equalTo(col("ow_campaign")).and(col("office_code").equalTo(col("ow_office"))), "left")
                .withColumn("week_start", coalesce(col("ow_start"), col("all_week_start")))
                .withColumn("week_end", coalesce(col("ow_end"), col("all_week_end")));

        Dataset<Row> prev = summary.select(col("campaign_id").as("p_campaign"), col("office_code").as("p_office"),
                col("direction").as("p_direction"), col("mean_seconds").as("prev_mean_seconds"));
        summary = TrsStats.withChange(summary.join(prev, col("prev_campaign_id").equalTo(col("p_campaign"))
                        .and(col("office_code").equalTo(col("p_office"))).and(col("direction").equalTo(col("p_direction"))), "left"));
        Column officeRow = col("office_code").notEqual("ALL");
        summary = summary.withColumn("rank", when(officeRow.and(col("mean_seconds").isNotNull()),
                rank().over(Window.partitionBy(col("campaign_id"), col("direction"), officeRow, col("mean_seconds").isNull())
                        .orderBy(col("mean_seconds")))));

        CwConfig.Targets t = trs.targets();
        Column target = when(col("direction").equalTo("IMPORT"), lit(Math.round(t.importHours() * 3600)))
                .when(col("direction").equalTo("EXPORT"), lit(Math.round(t.exportHours() * 3600)));
        summary = summary.withColumn("target_seconds", target)
                .withColumn("meets_target", col("mean_seconds").lt(col("target_seconds")))
                .withColumn("meets_red_share_target", col("red_share").lt(t.redChannelShare()))
                .withColumn("meets_cross_border_target", col("arrival_to_gate_out_mean_seconds").lt(t.crossBorderHours() * 3600));

        summary = summary.select(col("campaign_id"), col("department_code"), col("office_code"), col("direction"),
                col("week_start"), col("week_end"), col("follow_up_cutoff"), col("declarations"), col("finished"),
                col("unfinished"), col("cancelled"), col("extreme_values"), col("release_before_registration"),
                col("mean_seconds"), col("median_seconds"),
                col("p90_seconds"), col("min_seconds"), col("max_seconds"), col("customs_share"), col("agency_share"),
                col("trader_share"), col("port_share"), col("green_share"), col("yellow_share"), col("red_share"),
                col("switched"), col("prev_campaign_id"), col("prev_mean_seconds"), col("change_seconds"),
                col("change_pct"), col("target_seconds"), col("meets_target"), col("rank").cast("int").as("rank"),
                col("bottleneck_from"), col("bottleneck_to"), col("bottleneck_party"), col("bottleneck_share"),
                col("meets_red_share_target"), col("arrival_to_gate_out_mean_seconds"), col("meets_cross_border_target"));

        Dataset<Row> unfinished = unfinished(in, intervals);
        return new Result(summary, breakdowns(trs, in), shares, excluded, unfinished, List.of(days, in));
    }

    /** One row per campaign × office × direction, plus office_code = ALL for the department. */
    static Dataset<Row> summary(CwConfig.Trs trs, Dataset<Row> in) {
        Dataset<Row> both = in.withColumn("office_code", explode(array(col("office_code"), lit("ALL"))));
        List<Column> aggs = new ArrayList<>(TrsStats.aggregates(trs.extremeValues().excludeFromMean()));
        Column active = not(col("is_cancelled"));
        Column activeCount = sum(when(active, 1L).otherwise(0L));
        for (String[] ch : new String[][]{{"1", "green"}, {"2", "yellow"}, {"3", "red"}}) {
            aggs.add(sum(when(active.and(col("final_channel").equalTo(ch[0])), 1L).otherwise(0L))
                    .divide(TrsStats.nullif(activeCount)).as(ch[1] + "_share"));
        }
        aggs.add(sum(when(active.and(col("is_channel_switched")), 1L).otherwise(0L)).as("switched"));
        aggs.add(avg(when(col("is_measured"), col("arrival_to_gate_out_seconds"))).as("arrival_to_gate_out_mean_seconds"));
        return TrsStats.unpack(both.groupBy(col("campaign_id"), col("department_code"), col("office_code"), col("direction"),
                        col("follow_up_cutoff"), col("prev_campaign_id"))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)));
    }

    /** gold.trs_interval_shares: mean seconds per measured declaration and share of the time. */
    static Dataset<Row> intervalShares(Dataset<Row> in, Dataset<Row> measuredIntervals) {
        Dataset<Row> m = in.filter(col("is_measured"))
                .withColumn("office_code", explode(array(col("office_code"), lit("ALL"))));
        Dataset<Row> totals = m.groupBy(col("campaign_id").as("t_campaign"), col("office_code").as("t_office"),
                        col("direction").as("t_direction"))
                .agg(count(lit(1)).as("n"), sum("release_seconds").as("total"));
        return m.select(col("campaign_id"), col("department_code"), col("office_code"), col("direction"),
                        col("declaration_no"))
                .join(measuredIntervals, col("declaration_no").equalTo(col("iv_declaration_no")))
                .groupBy(col("campaign_id"), col("department_code"), col("office_code"), col("direction"),
                        col("from_milestone"), col("to_milestone"), col("party"))
                .agg(sum("seconds").as("seconds"))
                .join(totals, col("campaign_id").equalTo(col("t_campaign")).and(col("office_code").equalTo(col("t_office")))
                        .and(col("direction").equalTo(col("t_direction"))))
                .select(col("campaign_id"), col("department_code"), col("office_code"), col("direction"),
                        col("from_milestone"), col("to_milestone"), col("party"),
                        col("seconds").divide(col("n")).as("mean_seconds"),
                        col("seconds").divide(TrsStats.nullif(col("total"))).as("share"));
    }

    /** gold.trs_breakdowns: department-level statistics per dimension value, measured declarations only. */
    static Dataset<Row> breakdowns(CwConfig.Trs trs, Dataset<Row> in) {
        Column dims = array(
                dim("OFFICE", col("office_code")),
                dim("CHANNEL", col("final_channel")),
                dim("TRANSPORT_MODE", col("transport_mode").cast("string")),
                dim("TYPE_CODE", col("type_code")),
                dim("HS_CHAPTER", col("hs_chapter")),
                dim("SPECIALISED_INSPECTION", when(col("has_specialised_inspection"), lit("YES")).otherwise(lit("NO"))));
        List<Column> all = TrsStats.aggregates(trs.extremeValues().excludeFromMean());
        return TrsStats.unpack(in.filter(col("is_measured"))
                .withColumn("d", explode(dims))
                .groupBy(col("campaign_id"), col("department_code"), col("direction"),
                        col("d.dimension").as("dimension"), col("d.value").as("dimension_value"))
                .agg(all.get(0), all.subList(1, all.size()).toArray(Column[]::new)))
                .select(col("campaign_id"), col("department_code"), col("direction"), col("dimension"),
                        col("dimension_value"), col("declarations"), col("mean_seconds"), col("median_seconds"),
                        col("p90_seconds"), col("min_seconds"), col("max_seconds"));
    }

    private static Column dim(String name, Column value) {
        return struct(lit(name).as("dimension"), coalesce(value, lit("UNKNOWN")).as("value"));
    }

    /** gold.trs_unfinished: the last milestone reached by the cut-off (REGISTRATION when none after it). */
    static Dataset<Row> unfinished(Dataset<Row> in, Dataset<Row> intervals) {
        Dataset<Row> u = in.filter(not(col("is_cancelled")).and(not(col("is_measured")))
                        .and(not(col("is_release_before_registration"))))
                .select(col("campaign_id"), col("declaration_no"), col("department_code"), col("office_code"),
                        col("direction"), col("registered_at"), col("follow_up_cutoff"));
        Dataset<Row> iv = intervals.select(col("declaration_no").as("iv_declaration_no"), col("to_milestone"),
                col("ended_at"), col("interval_seq"));
        Dataset<Row> last = u.join(iv, col("declaration_no").equalTo(col("iv_declaration_no"))
                        .and(to_date(col("ended_at")).leq(col("follow_up_cutoff"))), "left")
                .withColumn("r", row_number().over(Window.partitionBy("campaign_id", "declaration_no")
                        .orderBy(col("ended_at").desc_nulls_last(), col("interval_seq").desc_nulls_last())))
                .filter(col("r").equalTo(1));
        return last.select(col("campaign_id"), col("declaration_no"), col("department_code"), col("office_code"),
                col("direction"),
                coalesce(col("to_milestone"), lit("REGISTRATION")).as("last_milestone"),
                coalesce(col("ended_at"), col("registered_at")).as("last_event_at"));
    }
}
