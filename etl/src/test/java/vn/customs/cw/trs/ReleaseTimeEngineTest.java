package vn.customs.cw.trs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.quality.DataChecks;
import vn.customs.cw.testing.ShippedChecks;
import vn.customs.cw.testing.SparkTestBase;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;
import static vn.customs.cw.contracts.Milestone.*;

/**
 * Hand-built declarations whose release times were worked out by hand to the second (see the
 * comments beside each one). Two campaigns of department 20: P (week from Mon 2020-04-06) and
 * C (week from Mon 2020-04-27, previous = P). 30 Apr and 1 May 2020 are public holidays; the
 * border-gate offices 20CF, 20CG, 20CE work Saturdays, 20NB does not.
 */
class ReleaseTimeEngineTest extends SparkTestBase {

    static final CwConfig.Campaign P = new CwConfig.Campaign("P", "20", LocalDate.of(2020, 4, 6), 6,
            LocalDate.of(2020, 4, 20), null, List.of());
    static final CwConfig.Campaign C = new CwConfig.Campaign("C", "20", LocalDate.of(2020, 4, 27), 6,
            LocalDate.of(2020, 5, 20), "P", List.of());

    static CwConfig.Trs trs(boolean excludeExtremes) {
        return new CwConfig.Trs(new CwConfig.Targets(10, 3, 0.15, 160),
                new CwConfig.ExtremeValues("iqr", 3.0, excludeExtremes), 3, List.of(P, C));
    }

    TrsFixture scenario() {
        TrsFixture fx = new TrsFixture(spark());
        // Campaign P, office 20CF, imports of 60000 s, 65316 s, 70632 s: mean 65316 s = 18:08:36.
        fx.released("104000000001", "20CF", "2020-04-07 08:00:00", 60000);
        fx.released("104000000002", "20CF", "2020-04-07 08:00:00", 65316);
        fx.released("104000000003", "20CF", "2020-04-07 08:00:00", 70632);

        // I1: crosses midnight and the 30 Apr / 1 May holidays: 29 Apr 20:00 -> 2 May 08:00 = 60 h = 216000 s
        // elapsed. REG->CA 0 customs, CA->DCS 1800 customs, DCS->DCE 45000 customs, DCE->TAX 108000 trader,
        // TAX->REL 61200 customs: customs 108000, trader 108000.
        fx.decl("104000000011", "20CF", "A11", "2020-04-29 20:00:00").channel("2", "2")
                .at(CHANNEL_ASSIGNED, "2020-04-29 20:00:00").at(DOC_CHECK_START, "2020-04-29 20:30:00")
                .at(DOC_CHECK_END, "2020-04-30 09:00:00").at(TAX_PAID, "2020-05-01 15:00:00")
                .at(RELEASE, "2020-05-02 08:00:00").at(CLEARANCE, "2020-05-02 08:00:00");
        // I2: yellow -> red switch, 08:00 -> 14:00 = 21600 s: customs 30+3570+7200+3600 = 14400, port 3600,
        // trader 3600. Arrival 26 Apr 20:00 (ARRIVAL->REGISTRATION 43200 s, outside), gate-out 16:00: 72000 s.
        fx.decl("104000000012", "20CF", "A12", "2020-04-27 08:00:00").channel("2", "3").hs("84212300")
                .at(ARRIVAL, "2020-04-26 20:00:00")
                .at(CHANNEL_ASSIGNED, "2020-04-27 08:00:30").at(CHANNEL_CHANGED, "2020-04-27 09:00:00")
                .at(PHYSICAL_INSPECTION_START, "2020-04-27 10:00:00").at(PHYSICAL_INSPECTION_END, "2020-04-27 12:00:00")
                .at(TAX_PAID, "2020-04-27 13:00:00").at(RELEASE, "2020-04-27 14:00:00")
                .at(CLEARANCE, "2020-04-27 14:00:00").at(GATE_OUT, "2020-04-27 16:00:00");
        // I3: released, not cleared: 09:00 -> release 11:30 = 9000 s; document check ended 10:00 -> 3600 s.
        fx.decl("104000000013", "20CF", "A11", "2020-04-28 09:00:00").channel("2", "2")
                .at(DOC_CHECK_START, "2020-04-28 09:10:00").at(DOC_CHECK_END, "2020-04-28 10:00:00")
                .at(RELEASE, "2020-04-28 11:30:00");
        // I4: cleared without a RELEASE milestone: released at clearance, 7200 s.
        fx.decl("104000000014", "20CF", "A11", "2020-05-04 08:00:00").at(CLEARANCE, "2020-05-04 10:00:00");
        // I5: specialised inspection answered after the cut-off (20 May): unfinished in campaign C.
        fx.decl("104000000015", "20CF", "A11", "2020-05-05 15:00:00")
                .at(SI_SUBMITTED, "2020-05-05 16:00:00").at(SI_RESULT, "2020-05-25 10:00:00")
                .at(RELEASE, "2020-05-26 09:00:00").at(CLEARANCE, "2020-05-26 09:00:00");
        // I6: cancelled.
        fx.decl("104000000016", "20CF", "A11", "2020-04-27 10:00:00").status(1).at(CANCELLATION, "2020-04-27 11:00:00");
        // I7: registered before the week: in no campaign.
        fx.released("104000000017", "20CF", "2020-04-24 09:00:00", 3600);
        // Exports: 20CF 3600, 4000; 20CG 3600 (Saturday 2 May: border gates work), 4200, 4800, 100000 (extreme).
        fx.released("300000000021", "20CF", "2020-04-28 08:00:00", 3600);
        fx.released("300000000022", "20CF", "2020-04-28 08:00:00", 4000);
        fx.released("300000000023", "20CG", "2020-05-02 08:00:00", 3600);
        fx.released("300000000024", "20CG", "2020-04-27 08:00:00", 4200);
        fx.released("300000000025", "20CG", "2020-04-27 08:00:00", 4800);
        fx.released("300000000026", "20CG", "2020-04-27 08:00:00", 100000);
        // 20CE: 2 declarations < 3, left out. 20NB (not a border gate): Saturday is not in its week.
        fx.released("104000000031", "20CE", "2020-04-28 08:00:00", 3600);
        fx.released("300000000032", "20CE", "2020-04-28 08:00:00", 3600);
        fx.released("104000000041", "20NB", "2020-05-02 08:00:00", 3600);
        return fx;
    }

    Dataset<Row> calendar(TrsFixture fx) {
        return fx.calendar(LocalDate.of(2020, 3, 30), LocalDate.of(2020, 6, 30), Map.of(
                LocalDate.of(2020, 4, 2), "Giỗ Tổ Hùng Vương",
                LocalDate.of(2020, 4, 30), "Ngày Chiến thắng",
                LocalDate.of(2020, 5, 1), "Ngày Quốc tế Lao động"));
    }

    Dataset<Row> offices(TrsFixture fx) {
        return fx.offices(Map.of("20CF", true, "20CG", true, "20CE", true, "20NB", false, "03CC", true));
    }

    @Test
    void factsMeasureElapsedTimeAndSplitItByParty() {
        TrsFixture fx = scenario();
        Dataset<Row> intervals = ReleaseTimeFacts.intervals(fx.declarations(), fx.milestones());
        Dataset<Row> facts = ReleaseTimeFacts.facts(fx.declarations(), fx.milestones(), intervals);

        StructType schema = new StructType().add("declaration_no", DataTypes.StringType)
                .add("final_channel", DataTypes.StringType).add("is_channel_switched", DataTypes.BooleanType)
                .add("is_cancelled", DataTypes.BooleanType).add("is_finished", DataTypes.BooleanType)
                .add("is_released_not_cleared", DataTypes.BooleanType)
                .add("release_seconds", DataTypes.LongType).add("clearance_seconds", DataTypes.LongType)
                .add("arrival_to_gate_out_seconds", DataTypes.LongType)
                .add("customs_seconds", DataTypes.LongType).add("agency_seconds", DataTypes.LongType)
                .add("trader_seconds", DataTypes.LongType).add("port_seconds", DataTypes.LongType);
        List<Row> expected = List.of(
                RowFactory.create("104000000011", "2", false, false, true, false, 216000L, 216000L, null, 108000L, 0L, 108000L, 0L),
                RowFactory.create("104000000012", "3", true, false, true, false, 21600L, 21600L, 72000L, 14400L, 0L, 3600L, 3600L),
                RowFactory.create("104000000013", "2", false, false, true, true, 9000L, 3600L, null, 9000L, 0L, 0L, 0L),
                RowFactory.create("104000000014", "1", false, false, true, false, 7200L, 7200L, null, 7200L, 0L, 0L, 0L),
                // I5 is finished in continuous mode (released 26 May): 20 d 18 h = 1792800 s = trader 3600 (SI submitted)
                // + agency 1706400 (16:00 5 May -> 10:00 25 May) + customs 82800 (-> 09:00 26 May).
                RowFactory.create("104000000015", "1", false, false, true, false, 1792800L, 1792800L, null, 82800L, 1706400L, 3600L, 0L),
                RowFactory.create("104000000016", "1", false, true, false, false, null, null, null, null, null, null, null));
        Dataset<Row> actual = facts.filter(col("declaration_no").isin("104000000011", "104000000012", "104000000013",
                        "104000000014", "104000000015", "104000000016"))
                .select(schema.fieldNames()[0], java.util.Arrays.copyOfRange(schema.fieldNames(), 1, schema.size()));
        // Same columns, nullability aside (spark-testing-base compares it; the transforms' is not the point).
        assertDataFrameNoOrderEquals(spark().createDataFrame(expected, schema),
                spark().createDataFrame(actual.toJavaRDD(), schema));

        Row i1 = facts.filter(col("declaration_no").equalTo("104000000011")).select("released_at", "measured_end_at",
                "registration_date", "registration_month").head();
        assertEquals(TrsFixture.ts("2020-05-02 08:00:00"), i1.getTimestamp(0), "I1 released on 2 May, 08:00 local");
        assertEquals(Date.valueOf("2020-04-29"), i1.getDate(2), "registration date is the Vietnamese local date");
        Row i4 = facts.filter(col("declaration_no").equalTo("104000000014")).select("released_at", "cleared_at").head();
        assertEquals(i4.getTimestamp(1), i4.getTimestamp(0), "cleared without RELEASE: released at clearance");

        // Every finished declaration: the four parties add up to the release time, to the second.
        long mismatched = facts.filter(col("is_finished").and(col("customs_seconds").plus(col("agency_seconds"))
                .plus(col("trader_seconds")).plus(col("port_seconds")).notEqual(col("release_seconds")))).count();
        assertEquals(0, mismatched, "party seconds must add up to release_seconds");

        List<Row> i2 = intervals.filter(col("declaration_no").equalTo("104000000012")).orderBy("interval_seq")
                .select("from_milestone", "to_milestone", "party", "seconds", "is_in_release_time").collectAsList();
        assertEquals(List.of(
                RowFactory.create("ARRIVAL", "REGISTRATION", "TRADER", 43200L, false),
                RowFactory.create("REGISTRATION", "CHANNEL_ASSIGNED", "CUSTOMS", 30L, true),
                RowFactory.create("CHANNEL_ASSIGNED", "CHANNEL_CHANGED", "CUSTOMS", 3570L, true),
                RowFactory.create("CHANNEL_CHANGED", "PHYSICAL_INSPECTION_START", "PORT", 3600L, true),
                RowFactory.create("PHYSICAL_INSPECTION_START", "PHYSICAL_INSPECTION_END", "CUSTOMS", 7200L, true),
                RowFactory.create("PHYSICAL_INSPECTION_END", "TAX_PAID", "TRADER", 3600L, true),
                RowFactory.create("TAX_PAID", "RELEASE", "CUSTOMS", 3600L, true),
                RowFactory.create("RELEASE", "CLEARANCE", "CUSTOMS", 0L, false),
                RowFactory.create("CLEARANCE", "GATE_OUT", "PORT", 7200L, false)), i2,
                "I2 intervals in time order; only REGISTRATION..RELEASE are inside the release time");
        assertEquals(0, intervals.filter(col("declaration_no").equalTo("104000000016")).count(),
                "a cancelled declaration has no intervals");
        ShippedChecks.assertErrorRulesHold("gold.release_time_facts", facts);
        ShippedChecks.assertErrorRulesHold("gold.release_time_intervals", intervals);
    }

    Campaigns.Result campaigns(TrsFixture fx, boolean excludeExtremes) {
        Dataset<Row> intervals = ReleaseTimeFacts.intervals(fx.declarations(), fx.milestones()).cache();
        Dataset<Row> facts = ReleaseTimeFacts.facts(fx.declarations(), fx.milestones(), intervals).cache();
        CwConfig.Trs t = trs(excludeExtremes);
        Campaigns.Result r = Campaigns.compute(spark(), t, t.campaigns(), facts, intervals, calendar(fx), offices(fx));
        return new Campaigns.Result(r.summary().cache(), r.breakdowns().cache(), r.intervalShares().cache(),
                r.excluded().cache(), r.unfinished().cache());
    }

    static Row one(Dataset<Row> df, String what) {
        List<Row> rows = df.collectAsList();
        assertEquals(1, rows.size(), "exactly one row expected for " + what + ", got " + rows);
        return rows.get(0);
    }

    static Row summaryRow(Campaigns.Result r, String campaign, String office, String direction) {
        return one(r.summary().filter(col("campaign_id").equalTo(campaign).and(col("office_code").equalTo(office))
                .and(col("direction").equalTo(direction))), campaign + "/" + office + "/" + direction);
    }

    @Test
    void measurementWeekSkipsHolidaysAndSundaysAndOnlyBorderGatesWorkSaturdays() {
        TrsFixture fx = scenario();
        List<Row> weeks = Campaigns.weekDays(spark(), List.of(C), calendar(fx), offices(fx))
                .groupBy("office_code").agg(org.apache.spark.sql.functions.min("calendar_date"),
                        org.apache.spark.sql.functions.max("calendar_date"),
                        org.apache.spark.sql.functions.count("calendar_date"),
                        org.apache.spark.sql.functions.expr("sum(if(calendar_date in (date'2020-04-30', date'2020-05-01', date'2020-05-03'), 1, 0))"))
                .orderBy("office_code").collectAsList();
        // Border gates: 27, 28, 29 Apr, Sat 2 May, 4, 5 May. 20NB: 27, 28, 29 Apr, 4, 5, 6 May.
        assertEquals(List.of(
                RowFactory.create("20CE", Date.valueOf("2020-04-27"), Date.valueOf("2020-05-05"), 6L, 0L),
                RowFactory.create("20CF", Date.valueOf("2020-04-27"), Date.valueOf("2020-05-05"), 6L, 0L),
                RowFactory.create("20CG", Date.valueOf("2020-04-27"), Date.valueOf("2020-05-05"), 6L, 0L),
                RowFactory.create("20NB", Date.valueOf("2020-04-27"), Date.valueOf("2020-05-06"), 6L, 0L)), weeks,
                "6 working days from 27 Apr 2020 with 30 Apr, 1 May off; only department 20's offices");
    }

    @Test
    void campaignStatisticsComparisonTargetsRankAndBottleneck() {
        Campaigns.Result r = campaigns(scenario(), false);

        Row imp = summaryRow(r, "C", "20CF", "IMPORT");
        // I1..I6 registered in the week (I7 before it): 4 measured, I5 unfinished, I6 cancelled.
        assertEquals(6L, imp.<Long>getAs("declarations"), "declarations registered in the week at 20CF, imports");
        assertEquals(4L, imp.<Long>getAs("finished"), "finished by the cut-off");
        assertEquals(1L, imp.<Long>getAs("unfinished"), "I5 released after the cut-off is counted unfinished");
        assertEquals(1L, imp.<Long>getAs("cancelled"), "I6 cancelled is counted, not measured");
        // (216000 + 21600 + 9000 + 7200) / 4 = 63450; median (9000 + 21600) / 2; p90 21600 + 0.7 * 194400.
        assertEquals(63450.0, imp.<Double>getAs("mean_seconds"), 1e-9, "mean of 20CF imports");
        assertEquals(15300.0, imp.<Double>getAs("median_seconds"), 1e-9, "exact median");
        assertEquals(157680.0, imp.<Double>getAs("p90_seconds"), 1e-9, "exact p90, linear interpolation");
        assertEquals(7200L, imp.<Long>getAs("min_seconds"), "min");
        assertEquals(216000L, imp.<Long>getAs("max_seconds"), "max");
        assertEquals(138600.0 / 253800, imp.<Double>getAs("customs_share"), 1e-12, "customs' own share");
        assertEquals(111600.0 / 253800, imp.<Double>getAs("trader_share"), 1e-12, "trader share");
        assertEquals(3600.0 / 253800, imp.<Double>getAs("port_share"), 1e-12, "port share");
        assertEquals(0.2, imp.<Double>getAs("red_share"), 1e-12, "yellow->red switch counts red: 1 of 5 active");
        assertEquals(1L, imp.<Long>getAs("switched"), "one switched declaration");
        // Previous campaign P: 20CF imports 60000, 65316, 70632 -> 65316. 63450 - 65316 = -1866 s = -31 min 6 s.
        assertEquals("P", imp.getAs("prev_campaign_id"), "previous campaign from conf");
        assertEquals(65316.0, imp.<Double>getAs("prev_mean_seconds"), 1e-9, "previous mean");
        assertEquals(-1866.0, imp.<Double>getAs("change_seconds"), 1e-9, "change in seconds");
        assertEquals(-2.856880396839978, imp.<Double>getAs("change_pct"), 1e-9, "change in percent");
        assertEquals("\u221231 phút 6 giây", Durations.signedVietnamese(imp.<Double>getAs("change_seconds")), "as printed");
        assertEquals("\u22122.86%", Durations.signedPercent(imp.<Double>getAs("change_pct"), false), "as printed");
        assertEquals(36000L, imp.<Long>getAs("target_seconds"), "import target 10 h");
        assertFalse(imp.<Boolean>getAs("meets_target"), "63450 s is over 10 h");
        assertEquals(1, imp.<Integer>getAs("rank"), "only office with imports");
        assertEquals("DOC_CHECK_END", imp.getAs("bottleneck_from"), "I1's wait for tax payment dominates");
        assertEquals("TAX_PAID", imp.getAs("bottleneck_to"), "bottleneck interval end");
        assertEquals("TRADER", imp.getAs("bottleneck_party"), "bottleneck party");
        assertEquals(108000.0 / 253800, imp.<Double>getAs("bottleneck_share"), 1e-12, "bottleneck share");
        assertEquals(72000.0, imp.<Double>getAs("arrival_to_gate_out_mean_seconds"), 1e-9, "I2 only: 20 h");
        assertEquals(Date.valueOf("2020-05-05"), imp.getAs("week_end"), "border-gate week ends Tue 5 May");

        Row deptImp = summaryRow(r, "C", "ALL", "IMPORT");
        assertEquals(63450.0, deptImp.<Double>getAs("mean_seconds"), 1e-9, "20CE's import is left out of the department");
        assertEquals(-1866.0, deptImp.<Double>getAs("change_seconds"), 1e-9, "department change vs P");
        assertNull(deptImp.getAs("rank"), "the department row has no rank");

        // Exports: 3600, 4000 (20CF); 3600, 4200, 4800, 100000 (20CG). Q1 3700, Q3 4650, k 3 -> above 7500.
        Row deptExp = summaryRow(r, "C", "ALL", "EXPORT");
        assertEquals(1L, deptExp.<Long>getAs("extreme_values"), "100000 s is above Q3 + 3 IQR = 7500 s");
        assertEquals(120200.0 / 6, deptExp.<Double>getAs("mean_seconds"), 1e-9, "extremes stay in the mean by default");
        assertEquals(4100.0, deptExp.<Double>getAs("median_seconds"), 1e-9, "median of six");
        assertEquals(52400.0, deptExp.<Double>getAs("p90_seconds"), 1e-9, "p90 4800 + 0.5 * 95200");
        assertNull(deptExp.getAs("prev_mean_seconds"), "P had no exports");
        Row cf = summaryRow(r, "C", "20CF", "EXPORT");
        Row cg = summaryRow(r, "C", "20CG", "EXPORT");
        assertEquals(1, cf.<Integer>getAs("rank"), "20CF exports 3800 s: fastest");
        assertEquals(2, cg.<Integer>getAs("rank"), "20CG exports 28150 s");
        Assertions.assertTrue(cf.<Boolean>getAs("meets_target"), "3800 s < 3 h");
        assertFalse(cg.<Boolean>getAs("meets_target"), "28150 s > 3 h");

        List<Row> excluded = r.excluded().orderBy("campaign_id", "office_code")
                .select("campaign_id", "office_code", "declarations", "reason_code", "reason").collectAsList();
        assertEquals(List.of(
                RowFactory.create("C", "20CE", 2L, "TOO_FEW_DECLARATIONS", "2 declarations < 3"),
                RowFactory.create("C", "20NB", 0L, "TOO_FEW_DECLARATIONS", "0 declarations < 3"),
                RowFactory.create("P", "20CE", 0L, "TOO_FEW_DECLARATIONS", "0 declarations < 3"),
                RowFactory.create("P", "20CG", 0L, "TOO_FEW_DECLARATIONS", "0 declarations < 3"),
                RowFactory.create("P", "20NB", 0L, "TOO_FEW_DECLARATIONS", "0 declarations < 3")), excluded,
                "offices left out, with the reason; 20NB's Saturday declaration is outside its week");

        Row unf = one(r.unfinished(), "unfinished");
        assertEquals("C", unf.getAs("campaign_id"), "unfinished campaign");
        assertEquals("104000000015", unf.getAs("declaration_no"), "I5 unfinished at the cut-off");
        assertEquals("SI_SUBMITTED", unf.getAs("last_milestone"), "SI result came after the cut-off");
        assertEquals(TrsFixture.ts("2020-05-05 16:00:00"), unf.getAs("last_event_at"), "last event by the cut-off");

        Row chapter = one(r.breakdowns().filter(col("campaign_id").equalTo("C").and(col("dimension").equalTo("HS_CHAPTER"))
                .and(col("dimension_value").equalTo("84"))), "HS chapter 84");
        assertEquals(1L, chapter.<Long>getAs("declarations"), "only I2 is chapter 84");
        assertEquals(21600.0, chapter.<Double>getAs("mean_seconds"), 1e-9, "I2's release time");
        Row red = one(r.breakdowns().filter(col("campaign_id").equalTo("C").and(col("direction").equalTo("IMPORT"))
                .and(col("dimension").equalTo("CHANNEL")).and(col("dimension_value").equalTo("3"))), "red imports");
        assertEquals(21600L, red.<Long>getAs("max_seconds"), "the switched declaration is in the red breakdown");

        double shareSum = r.intervalShares().filter(col("campaign_id").equalTo("C").and(col("office_code").equalTo("20CF"))
                .and(col("direction").equalTo("IMPORT"))).agg(org.apache.spark.sql.functions.sum("share")).head().getDouble(0);
        assertEquals(1.0, shareSum, 1e-12, "interval shares of an office stack up to the whole release time");

        ShippedChecks.assertErrorRulesHold("gold.trs_campaign_summary", r.summary());
        ShippedChecks.assertErrorRulesHold("gold.trs_breakdowns", r.breakdowns());
        ShippedChecks.assertErrorRulesHold("gold.trs_interval_shares", r.intervalShares());
        ShippedChecks.assertErrorRulesHold("gold.trs_excluded_units", r.excluded());
        ShippedChecks.assertErrorRulesHold("gold.trs_unfinished", r.unfinished());
    }

    @Test
    void extremeValuesLeaveTheMeanWhenConfigured() {
        Campaigns.Result r = campaigns(scenario(), true);
        Row deptExp = summaryRow(r, "C", "ALL", "EXPORT");
        assertEquals(20200.0 / 5, deptExp.<Double>getAs("mean_seconds"), 1e-9, "mean without the 100000 s extreme");
        assertEquals(100000L, deptExp.<Long>getAs("max_seconds"), "the extreme stays in max");
        assertEquals(6L, deptExp.<Long>getAs("finished"), "and in the counts");
    }

    @Test
    void aDeclarationReleasedBeforeItWasRegisteredIsFinishedCountedApartAndInNoStatistic() {
        // I8: registered 28 Apr 10:00, its RELEASE and CLEARANCE recorded at 08:00 (a late or mis-dated
        // step): -7200 s. Averaged in, it would take 20CF's import mean from 63450 to 49320 s.
        TrsFixture fx = scenario();
        fx.released("104000000018", "20CF", "2020-04-28 10:00:00", -7200);
        Campaigns.Result r = campaigns(fx, false);
        Campaigns.Result clean = campaigns(scenario(), false);

        Row imp = summaryRow(r, "C", "20CF", "IMPORT");
        assertEquals(7L, imp.<Long>getAs("declarations"), "I8 is registered in the week");
        assertEquals(5L, imp.<Long>getAs("finished"), "its goods were released: finished, not unfinished");
        assertEquals(1L, imp.<Long>getAs("unfinished"), "still only I5");
        assertEquals(1L, imp.<Long>getAs("release_before_registration"), "counted apart, so the report shows it");
        assertEquals(63450.0, imp.<Double>getAs("mean_seconds"), 1e-9, "out of the mean");
        assertEquals(7200L, imp.<Long>getAs("min_seconds"), "out of the minimum: no negative release time");
        assertEquals(15300.0, imp.<Double>getAs("median_seconds"), 1e-9, "out of the percentiles");
        assertEquals(138600.0 / 253800, imp.<Double>getAs("customs_share"), 1e-12, "out of the shares");
        assertEquals(1L, summaryRow(r, "C", "ALL", "IMPORT").<Long>getAs("release_before_registration"),
                "the department row counts it too");
        assertEquals(0L, summaryRow(clean, "C", "20CF", "IMPORT").<Long>getAs("release_before_registration"),
                "none without I8");
        assertEquals(List.of("104000000015"), r.unfinished().select("declaration_no").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList(), "not listed as waiting at the cut-off");
        assertEquals(clean.breakdowns().orderBy("campaign_id", "direction", "dimension", "dimension_value").collectAsList(),
                r.breakdowns().orderBy("campaign_id", "direction", "dimension", "dimension_value").collectAsList(),
                "breakdowns read measured declarations only");
        assertEquals(clean.intervalShares().orderBy("campaign_id", "office_code", "direction", "from_milestone", "to_milestone", "party")
                        .collectAsList(),
                r.intervalShares().orderBy("campaign_id", "office_code", "direction", "from_milestone", "to_milestone", "party")
                        .collectAsList(), "interval shares too");

        // Continuous mode: the April 2020 rows that hold I8 differ from the clean ones in the three counts only.
        List<Row> with = monthlyApril(fx), without = monthlyApril(scenario());
        assertEquals(without.size(), with.size(), "the same April rows");
        int holding = 0;
        for (int i = 0; i < with.size(); i++) {
            Row a = with.get(i), b = without.get(i);
            long extra = a.<Long>getAs("release_before_registration");
            holding += extra > 0 ? 1 : 0;
            assertEquals(b.<Long>getAs("declarations") + extra, a.<Long>getAs("declarations"), "declarations " + a);
            assertEquals(b.<Long>getAs("finished") + extra, a.<Long>getAs("finished"), "finished " + a);
            assertEquals(b.<Long>getAs("unfinished"), a.<Long>getAs("unfinished"), "unfinished " + a);
            for (String c : List.of("mean_seconds", "median_seconds", "p90_seconds", "min_seconds", "max_seconds",
                    "customs_share", "extreme_values")) {
                assertEquals(b.<Object>getAs(c), a.<Object>getAs(c), c + " leaves I8 out: " + a);
            }
        }
        // 20CF and ALL offices x channel 1 and ALL, for the MONTH and YEAR periods: 8 rows hold I8.
        assertEquals(8, holding, "I8 is counted in every row it belongs to");

        // The shipped rules: the facts keep I8's negative release time (a warning), no statistic has one.
        Dataset<Row> intervals = ReleaseTimeFacts.intervals(fx.declarations(), fx.milestones());
        Dataset<Row> facts = ReleaseTimeFacts.facts(fx.declarations(), fx.milestones(), intervals);
        DataChecks.Result negative = ShippedChecks.assertErrorRulesHold("gold.release_time_facts", facts).stream()
                .filter(c -> c.rule().name().equals("release_not_before_registration")).findFirst().orElseThrow();
        assertEquals(1L, negative.violations(), "the facts' warning counts I8");
        ShippedChecks.assertErrorRulesHold("gold.release_time_intervals", intervals);
        ShippedChecks.assertErrorRulesHold("gold.trs_campaign_summary", r.summary());
        ShippedChecks.assertErrorRulesHold("gold.trs_unfinished", r.unfinished());
        Dataset<Row> stats = ReleaseTimeMonthly.statistics(trs(false), facts, null).cache();
        ShippedChecks.assertErrorRulesHold("gold.release_time_monthly", ReleaseTimeMonthly.monthly(stats, null));
        stats.unpersist();
    }

    List<Row> monthlyApril(TrsFixture fx) {
        Dataset<Row> intervals = ReleaseTimeFacts.intervals(fx.declarations(), fx.milestones());
        Dataset<Row> facts = ReleaseTimeFacts.facts(fx.declarations(), fx.milestones(), intervals);
        Dataset<Row> stats = ReleaseTimeMonthly.statistics(trs(false), facts, null).cache();
        List<Row> rows = ReleaseTimeMonthly.monthly(stats, null)
                .filter(col("year").equalTo(2020).and(col("month").equalTo(4).or(col("month").isNull())))
                .orderBy("period_type", "period", "department_code", "office_code", "direction", "channel").collectAsList();
        stats.unpersist();
        return rows;
    }
}
