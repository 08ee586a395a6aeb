package vn.customs.cw.gold;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import vn.customs.cw.testing.ShippedChecks;
import vn.customs.cw.testing.SparkTestBase;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.customs.cw.gold.MartAssertions.assertMart;
import static vn.customs.cw.gold.MartAssertions.expected;
import static vn.customs.cw.gold.MartAssertions.r;
import static vn.customs.cw.gold.SilverFixtures.row;
import static vn.customs.cw.gold.SilverFixtures.table;

/** Each mart on a handful of inline silver rows; every expected figure is counted by hand in the comments. */
class GoldMartsTest extends SparkTestBase {

    private static Object[] decl(String no, String office, String date, String direction, boolean cancelled,
                                 String invoice, String tax, String enterprise) {
        return new Object[]{"declaration_no", no, "office_code", office, "department_code", office.substring(0, 2),
                "registered_at", date + "T09:00:00+07:00", "registration_date", date,
                "registration_year", Integer.parseInt(date.substring(0, 4)), "direction", direction,
                "is_cancelled", cancelled, "status", cancelled ? 1 : 0, "invoice_value_usd", invoice,
                "tax_amount_vnd", tax, "enterprise_tax_code", enterprise, "channel", "1", "channel_code", "1"};
    }

    private Dataset<Row> declarations() {
        return table(spark(), SilverFixtures.DECLARATIONS, List.of(
                row(decl("104000000001", "20CF", "2020-05-11", "IMPORT", false, "100.50", "1000", "5700100256")),
                row(decl("104000000002", "20CF", "2020-05-20", "IMPORT", true, "50.00", "500", "5700100256")),
                row(decl("304000000003", "20CF", "2020-05-12", "EXPORT", false, null, null, "5700999999")),
                row(decl("104000000004", "20CF", "2019-05-03", "IMPORT", false, "10.00", "0", "5700100256")),
                row(decl("104000000005", "20BB", "2019-05-04", "IMPORT", false, "20.00", "7", "5700100256")),
                row(decl("304000000006", "20CF", "2019-06-01", "EXPORT", false, "30.00", "0", "5700999999"))));
    }

    @Test
    void declarationsMonthlyCountsCancelledButSumsOnlyLiveDeclarationsAndKeepsPreviousYearOnlyOffices() {
        Dataset<Row> actual = GoldMarts.declarationsMonthly(declarations());
        Dataset<Row> exp = expected(spark(), "department_code string, office_code string, year int, month int, "
                        + "direction string, declarations bigint, cancelled bigint, invoice_value_usd decimal(22,2), "
                        + "tax_amount_vnd decimal(24,0), prev_year_declarations bigint",
                // 2 imports (one cancelled: counted, not summed); May 2019 had 1 import at 20CF
                r("20", "20CF", 2020, 5, "IMPORT", 2L, 1L, "100.50", "1000", 1L),
                // export with no invoice value: 0, no export in May 2019
                r("20", "20CF", 2020, 5, "EXPORT", 1L, 0L, "0.00", "0", null),
                // 20BB declared only in May 2019; department 20 has May 2020 data, so the fall to 0 shows
                r("20", "20BB", 2020, 5, "IMPORT", 0L, 0L, "0.00", "0", 1L),
                r("20", "20CF", 2019, 5, "IMPORT", 1L, 0L, "10.00", "0", null),
                r("20", "20BB", 2019, 5, "IMPORT", 1L, 0L, "20.00", "7", null),
                // June 2019 export: no row for June 2020 (department 20 has no June 2020 data), none for 2021
                r("20", "20CF", 2019, 6, "EXPORT", 1L, 0L, "30.00", "0", null));
        assertMart(this, exp, actual);
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.DECLARATIONS_MONTHLY, actual);
    }

    @Test
    void enterpriseActivityMonthlyHasOneRowPerDeclarantAndMonth() {
        Dataset<Row> actual = GoldMarts.enterpriseActivityMonthly(declarations());
        Dataset<Row> exp = expected(spark(), "department_code string, year int, month int, enterprise_tax_code string, "
                        + "declarations bigint, invoice_value_usd decimal(22,2)",
                r("20", 2020, 5, "5700100256", 2L, "100.50"),
                r("20", 2020, 5, "5700999999", 1L, "0.00"),
                r("20", 2019, 5, "5700100256", 2L, "30.00"),
                r("20", 2019, 6, "5700999999", 1L, "30.00"));
        assertMart(this, exp, actual);
        assertEquals(2L, actual.where("year = 2020").select("enterprise_tax_code").distinct().count(),
                "distinct enterprises over a range of months come from the mart");
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.ENTERPRISE_ACTIVITY_MONTHLY, actual);
    }

    private static java.util.Map<String, Object> nsw(String no, String decl, String submitted, String result) {
        return row("dossier_no", no, "declaration_no", decl, "office_code", "20BB", "department_code", "20",
                "agency_code", "BNNPTNT-BVTV", "procedure_code", "BNN-09", "submitted_at", submitted,
                "submitted_year", Integer.parseInt(submitted.substring(0, 4)), "result_at", result,
                "result", result == null ? null : "PASS");
    }

    @Test
    void nswMonthlyCountsDistinctDeclarationsByMonthOfResult() {
        Dataset<Row> in = table(spark(), SilverFixtures.NSW_DOSSIERS, List.of(
                nsw("N1", "104000000001", "2020-05-11T08:00:00+07:00", "2020-05-12T10:00:00+07:00"),
                nsw("N2", "104000000001", "2020-05-20T08:00:00+07:00", "2020-05-25T10:00:00+07:00"),
                nsw("N3", "104000000002", "2020-05-30T08:00:00+07:00", "2020-06-02T10:00:00+07:00"),
                nsw("N4", "104000000003", "2020-05-31T08:00:00+07:00", null),
                // 00:30 on 1 June in Vietnam is still 31 May in UTC: it belongs to June
                nsw("N5", "104000000004", "2020-06-01T00:30:00+07:00", null),
                nsw("N8", null, "2020-05-02T08:00:00+07:00", "2020-05-03T10:00:00+07:00"),
                nsw("N6", "104000000006", "2019-05-10T08:00:00+07:00", "2019-05-15T10:00:00+07:00"),
                nsw("N7", "104000000007", "2019-05-16T08:00:00+07:00", "2019-05-17T10:00:00+07:00")));
        Dataset<Row> exp = expected(spark(), "department_code string, office_code string, year int, month int, "
                        + "dossiers_submitted bigint, dossiers_with_result bigint, declarations_with_result bigint, "
                        + "prev_year_declarations_with_result bigint",
                // submitted N1 N2 N3 N4 N8; results in May N1 N2 N8; declarations {…001} (N8 has none)
                r("20", "20BB", 2020, 5, 5L, 3L, 1L, 2L),
                // submitted N5; result N3 (submitted in May)
                r("20", "20BB", 2020, 6, 1L, 1L, 1L, null),
                r("20", "20BB", 2019, 5, 2L, 2L, 2L, null));
        assertMart(this, exp, GoldMarts.nswMonthly(in));
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.NSW_MONTHLY, GoldMarts.nswMonthly(in));
    }

    private static java.util.Map<String, Object> em(String no, String type, String movement, String at) {
        return row("manifest_no", no, "office_code", "20CF", "department_code", "20", "vehicle_type", type,
                "movement", movement, "vehicle_id", "IMO9354387", "declared_at", at,
                "declared_year", Integer.parseInt(at.substring(0, 4)), "updated_at", at);
    }

    @Test
    void emanifestMonthlyCountsMovementsWithPreviousYear() {
        Dataset<Row> in = table(spark(), SilverFixtures.EMANIFEST, List.of(
                em("E1", "SHIP", "ENTRY", "2020-03-02T06:00:00+07:00"),
                em("E2", "SHIP", "ENTRY", "2020-03-09T06:00:00+07:00"),
                em("E3", "SHIP", "ENTRY", "2019-03-04T06:00:00+07:00"),
                em("E4", "TRUCK", "EXIT", "2019-03-05T06:00:00+07:00")));
        Dataset<Row> exp = expected(spark(), "department_code string, office_code string, year int, month int, "
                        + "vehicle_type string, movement string, movements bigint, prev_year_movements bigint",
                r("20", "20CF", 2020, 3, "SHIP", "ENTRY", 2L, 1L),
                r("20", "20CF", 2020, 3, "TRUCK", "EXIT", 0L, 1L),
                r("20", "20CF", 2019, 3, "SHIP", "ENTRY", 1L, null),
                r("20", "20CF", 2019, 3, "TRUCK", "EXIT", 1L, null));
        assertMart(this, exp, GoldMarts.emanifestMonthly(in));
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.EMANIFEST_MONTHLY, GoldMarts.emanifestMonthly(in));
    }

    private static java.util.Map<String, Object> co(String no, String form, boolean electronic, String at) {
        return row("co_no", no, "form", form, "is_electronic", electronic, "exporting_country", "TH",
                "office_code", "20CF", "department_code", "20", "received_at", at,
                "received_year", Integer.parseInt(at.substring(0, 4)), "updated_at", at);
    }

    @Test
    void coMonthlyCountsPerFormAndElectronicFlag() {
        Dataset<Row> in = table(spark(), SilverFixtures.CERTIFICATES_OF_ORIGIN, List.of(
                co("C1", "D", true, "2020-09-01T09:00:00+07:00"),
                co("C2", "D", true, "2020-09-02T09:00:00+07:00"),
                co("C3", "D", false, "2020-09-03T09:00:00+07:00"),
                co("C4", "D", true, "2019-09-01T09:00:00+07:00"),
                co("C5", "D", true, "2019-09-02T09:00:00+07:00"),
                co("C6", "D", true, "2019-09-03T09:00:00+07:00"),
                co("C7", "E", true, "2019-09-04T09:00:00+07:00")));
        Dataset<Row> exp = expected(spark(), "department_code string, office_code string, year int, month int, "
                        + "form string, is_electronic boolean, certificates bigint, prev_year_certificates bigint",
                r("20", "20CF", 2020, 9, "D", true, 2L, 3L),
                r("20", "20CF", 2020, 9, "D", false, 1L, null),
                r("20", "20CF", 2020, 9, "E", true, 0L, 1L),
                r("20", "20CF", 2019, 9, "D", true, 3L, null),
                r("20", "20CF", 2019, 9, "E", true, 1L, null));
        assertMart(this, exp, GoldMarts.coMonthly(in));
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.CO_MONTHLY, GoldMarts.coMonthly(in));
    }

    static java.util.Map<String, Object> dossier(String no, String dept, String channel, String at) {
        return row("dossier_no", no, "office_code", dept + "00", "department_code", dept, "procedure_code", "1.001234",
                "submission_channel", channel, "received_at", at, "received_year", Integer.parseInt(at.substring(0, 4)),
                "status", "RECEIVED", "updated_at", at);
    }

    static java.util.Map<String, Object> report(String dept, int year, int month, Long total, Long online,
                                                Long inPerson, Long post, Long combined) {
        return row("department_code", dept, "report_month", String.format("%d-%02d", year, month), "year", year,
                "month", month, "total_received", total, "online", online, "in_person", inPerson, "post", post,
                "in_person_or_post", combined, "reported_at", String.format("%d-%02d-05T10:00:00+07:00", year, month));
    }

    @Test
    void adminDossiersMonthlyShowsEveryReconciliationFailureInPlainWords() {
        Dataset<Row> dossiers = table(spark(), SilverFixtures.ADMIN_DOSSIERS, List.of(
                dossier("S1", "20", "ONLINE", "2020-09-01T09:00:00+07:00"),
                dossier("S2", "20", "ONLINE", "2020-09-02T09:00:00+07:00"),
                dossier("S3", "20", "ONLINE", "2020-09-03T09:00:00+07:00"),
                dossier("S4", "20", "IN_PERSON", "2020-09-04T09:00:00+07:00"),
                dossier("S5", "20", "POST", "2020-09-05T09:00:00+07:00"),
                dossier("A1", "20", "ONLINE", "2020-08-03T09:00:00+07:00"),
                dossier("A2", "20", "ONLINE", "2020-08-04T09:00:00+07:00"),
                dossier("A3", "20", "IN_PERSON", "2020-08-05T09:00:00+07:00"),
                dossier("P1", "20", "ONLINE", "2019-08-05T09:00:00+07:00")));
        Dataset<Row> reports = table(spark(), SilverFixtures.DOSSIER_REPORTS, List.of(
                // the published figures: 119,910 + 7,329 = 127,239, not 127,258
                report("20", 2020, 9, 127258L, 119910L, null, null, 7329L),
                report("20", 2020, 8, 3L, 2L, 1L, 0L, null),
                report("03", 2020, 7, 10L, 6L, 3L, 2L, null),
                report("11", 2020, 6, 10L, 6L, 4L, null, null)));
        Dataset<Row> actual = GoldMarts.adminDossiersMonthly(dossiers, reports);
        Dataset<Row> exp = expected(spark(), "department_code string, year int, month int, counted_total bigint, "
                        + "counted_online bigint, counted_in_person bigint, counted_post bigint, reported_total bigint, "
                        + "reported_online bigint, reported_in_person bigint, reported_post bigint, "
                        + "reported_in_person_or_post bigint, is_reported_consistent boolean, "
                        + "is_count_matching_report boolean, reconciliation_note string, prev_year_counted_total bigint, "
                        + "prev_year_counted_online bigint",
                r("20", 2020, 9, 5L, 3L, 1L, 1L, 127258L, 119910L, null, null, 7329L, false, false,
                        "reported 127258 ≠ online 119910 + in person/post 7329 (diff 19); "
                                + "counted 5 ≠ reported 127258 (diff -127253); "
                                + "counted online 3 ≠ reported online 119910 (diff -119907); "
                                + "counted in person/post 2 ≠ reported in person/post 7329 (diff -7327)", null, null),
                r("20", 2020, 8, 3L, 2L, 1L, 0L, 3L, 2L, 1L, 0L, null, true, true, null, 1L, 1L),
                r("20", 2019, 8, 1L, 1L, 0L, 0L, null, null, null, null, null, null, null,
                        "no report filed by the department for this month (counted 1)", null, null),
                r("03", 2020, 7, 0L, 0L, 0L, 0L, 10L, 6L, 3L, 2L, null, false, false,
                        "reported 10 ≠ online 6 + in person 3 + post 2 (diff -1); counted 0 ≠ reported 10 (diff -10); "
                                + "counted online 0 ≠ reported online 6 (diff -6); "
                                + "counted in person 0 ≠ reported in person 3 (diff -3); "
                                + "counted post 0 ≠ reported post 2 (diff -2)", null, null),
                r("11", 2020, 6, 0L, 0L, 0L, 0L, 10L, 6L, 4L, null, null, false, false,
                        "reported parts incomplete: in person 4, post missing, no combined in person/post figure; "
                                + "counted 0 ≠ reported 10 (diff -10); counted online 0 ≠ reported online 6 (diff -6); "
                                + "counted in person 0 ≠ reported in person 4 (diff -4)", null, null));
        assertMart(this, exp, actual);
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.ADMIN_DOSSIERS_MONTHLY, actual);
        assertEquals(3L, actual.where("NOT coalesce(is_reported_consistent, true)").count(),
                "the warning 'reported parts add up' flags the three reports that do not add up, and only them");
    }

    @Test
    void reformTasksFlagCompletedTasks() {
        Dataset<Row> in = table(spark(), SilverFixtures.REFORM_TASKS, List.of(
                row("task_id", "20-2020-001", "department_code", "20", "plan_year", 2020, "task_group", "PLAN",
                        "task_name", "Kế hoạch cải cách hành chính năm 2020", "owner_unit", "Văn phòng",
                        "due_date", "2020-01-31", "status", "COMPLETED", "completed_on", "2020-01-20"),
                row("task_id", "20-2020-002", "department_code", "20", "plan_year", 2020, "task_group", "PROCEDURE_REVIEW",
                        "task_name", "Rà soát, đơn giản hóa thủ tục hành chính", "owner_unit", "Phòng Nghiệp vụ",
                        "due_date", "2020-09-30", "status", "IN_PROGRESS"),
                row("task_id", "20-2020-003", "department_code", "20", "plan_year", 2020, "task_group", "COMMUNICATION",
                        "task_name", "Tuyên truyền", "owner_unit", "Văn phòng", "due_date", "2020-12-31",
                        "status", "NOT_STARTED")));
        Dataset<Row> exp = expected(spark(), "task_id string, department_code string, plan_year int, task_group string, "
                        + "task_name string, owner_unit string, due_date date, status string, completed_on date, "
                        + "is_completed boolean",
                r("20-2020-001", "20", 2020, "PLAN", "Kế hoạch cải cách hành chính năm 2020", "Văn phòng",
                        "2020-01-31", "COMPLETED", "2020-01-20", true),
                r("20-2020-002", "20", 2020, "PROCEDURE_REVIEW", "Rà soát, đơn giản hóa thủ tục hành chính",
                        "Phòng Nghiệp vụ", "2020-09-30", "IN_PROGRESS", null, false),
                r("20-2020-003", "20", 2020, "COMMUNICATION", "Tuyên truyền", "Văn phòng", "2020-12-31",
                        "NOT_STARTED", null, false));
        assertMart(this, exp, GoldMarts.reformTasks(in));
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.REFORM_TASKS, GoldMarts.reformTasks(in));
    }

    @Test
    void revenueMonthlyPutsTheYearsTargetsBesideAndReproducesThePublishedShares() {
        Dataset<Row> revenue = table(spark(), SilverFixtures.REVENUE, List.of(
                row("office_code", "20BB", "department_code", "20", "collected_on", "2020-09-01", "year", 2020, "month", 9,
                        "revenue_vnd", "5000000000000"),
                row("office_code", "20CF", "department_code", "20", "collected_on", "2020-09-01", "year", 2020, "month", 9,
                        "revenue_vnd", "4259000000000"),
                row("office_code", "20CF", "department_code", "20", "collected_on", "2019-09-03", "year", 2019, "month", 9,
                        "revenue_vnd", "8000000000000")));
        Dataset<Row> targets = table(spark(), SilverFixtures.REVENUE_TARGETS, List.of(
                row("department_code", "20", "target_year", 2020, "target_source", "MOF", "target_vnd", "9500000000000"),
                row("department_code", "20", "target_year", 2020, "target_source", "GDC", "target_vnd", "10500000000000")));
        Dataset<Row> actual = GoldMarts.revenueMonthly(revenue, targets);
        Dataset<Row> exp = expected(spark(), "department_code string, year int, month int, revenue_vnd decimal(24,0), "
                        + "target_mof_vnd decimal(24,0), target_gdc_vnd decimal(24,0), prev_year_revenue_vnd decimal(24,0)",
                r("20", 2020, 9, "9259000000000", "9500000000000", "10500000000000", "8000000000000"),
                r("20", 2019, 9, "8000000000000", null, null, null));
        assertMart(this, exp, actual);
        Row share = actual.where("year = 2020")
                .selectExpr("cast(floor(sum(revenue_vnd) / max(target_mof_vnd) * 1000) / 10 as double)",
                        "cast(floor(sum(revenue_vnd) / max(target_gdc_vnd) * 1000) / 10 as double)").head();
        assertEquals(97.4, share.getDouble(0), 1e-9, "published: 97.4% of the MOF target");
        assertEquals(88.1, share.getDouble(1), 1e-9, "published: 88.1% of the GDC target");
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.REVENUE_MONTHLY, actual);
    }

    static java.util.Map<String, Object> rating(String id, String at, int officer, int team, int office, int worst) {
        return row("rating_id", id, "declaration_no", "104000000001", "office_code", "03CC", "department_code", "03",
                "team_code", "01", "officer_id", "CB03CC004", "officer_level", officer, "team_level", team,
                "office_level", office, "worst_level", worst, "rated_year", Integer.parseInt(at.substring(0, 4)), "comment", "Cán bộ hướng dẫn nhiệt tình", "rated_at", at,
                "updated_at", at);
    }

    private Dataset<Row> ratings() {
        return table(spark(), SilverFixtures.SATISFACTION_RATINGS, List.of(
                rating("R1", "2020-05-12T09:00:00+07:00", 5, 4, 4, 4),
                rating("R2", "2020-05-13T09:00:00+07:00", 5, 5, 3, 3),
                // 00:10 on 1 June in Vietnam: June
                rating("R3", "2020-06-01T00:10:00+07:00", 2, 3, 4, 2),
                // silver's worst_level is wrong here on purpose: the follow-up list must not trust it
                rating("R4", "2020-06-02T09:00:00+07:00", 5, 1, 5, 5)));
    }

    @Test
    void satisfactionMonthlyIsLongFormatSubjectByLevel() {
        Dataset<Row> in = ratings().where("rating_id <> 'R4'");
        Dataset<Row> exp = expected(spark(), "department_code string, office_code string, team_code string, year int, "
                        + "month int, subject string, level int, ratings bigint",
                r("03", "03CC", "01", 2020, 5, "OFFICER", 5, 2L),
                r("03", "03CC", "01", 2020, 5, "TEAM", 4, 1L),
                r("03", "03CC", "01", 2020, 5, "TEAM", 5, 1L),
                r("03", "03CC", "01", 2020, 5, "OFFICE", 4, 1L),
                r("03", "03CC", "01", 2020, 5, "OFFICE", 3, 1L),
                r("03", "03CC", "01", 2020, 6, "OFFICER", 2, 1L),
                r("03", "03CC", "01", 2020, 6, "TEAM", 3, 1L),
                r("03", "03CC", "01", 2020, 6, "OFFICE", 4, 1L));
        assertMart(this, exp, GoldMarts.satisfactionMonthly(in));
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.SATISFACTION_MONTHLY, GoldMarts.satisfactionMonthly(in));
    }

    @Test
    void satisfactionFollowupListsEveryNeutralOrNegativeRating() {
        Dataset<Row> exp = expected(spark(), "rating_id string, declaration_no string, department_code string, "
                        + "office_code string, team_code string, officer_id string, rated_at timestamp, officer_level int, "
                        + "team_level int, office_level int, worst_level int, comment string",
                r("R2", "104000000001", "03", "03CC", "01", "CB03CC004", "2020-05-13T09:00:00+07:00", 5, 5, 3, 3,
                        "Cán bộ hướng dẫn nhiệt tình"),
                r("R3", "104000000001", "03", "03CC", "01", "CB03CC004", "2020-06-01T00:10:00+07:00", 2, 3, 4, 2,
                        "Cán bộ hướng dẫn nhiệt tình"),
                r("R4", "104000000001", "03", "03CC", "01", "CB03CC004", "2020-06-02T09:00:00+07:00", 5, 1, 5, 1,
                        "Cán bộ hướng dẫn nhiệt tình"));
        assertMart(this, exp, GoldMarts.satisfactionFollowup(ratings()));
        ShippedChecks.assertErrorRulesHold("gold." + GoldMarts.SATISFACTION_FOLLOWUP, GoldMarts.satisfactionFollowup(ratings()));
    }
}
