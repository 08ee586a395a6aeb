package vn.customs.cw.gold;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;
import scala.collection.Seq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;

/**
 * The gold marts of docs/tables.md section "gold: reform, dossiers and the other marts": pure
 * transforms from silver tables (as read, with the silver columns of docs/tables.md) to the gold
 * columns, each ending in an explicit select. The stage ({@link GoldMartsStage}) does the I/O.
 *
 * <p>Previous-year rule (all monthly marts with {@code prev_year_*}): the previous year's row of
 * the same key is joined onto the current one. A key that had data a year earlier but none now
 * still gets a row (its current measures 0, its {@code prev_year_*} filled) when the department has
 * any row in that same year and month of the mart, so year-on-year totals over a range of months
 * keep the previous year's whole figure (an office that stopped declaring shows up as a fall to 0).
 * Months the department has no data for yet (the rest of a year still running, future years) get no
 * previous-year-only rows: they would read as a collapse that has not happened.
 */
public final class GoldMarts {
    private GoldMarts() {}

    public static final String DECLARATIONS_MONTHLY = "declarations_monthly";
    public static final String ENTERPRISE_ACTIVITY_MONTHLY = "enterprise_activity_monthly";
    public static final String NSW_MONTHLY = "nsw_monthly";
    public static final String EMANIFEST_MONTHLY = "emanifest_monthly";
    public static final String CO_MONTHLY = "co_monthly";
    public static final String ADMIN_DOSSIERS_MONTHLY = "admin_dossiers_monthly";
    public static final String REFORM_TASKS = "reform_tasks";
    public static final String REVENUE_MONTHLY = "revenue_monthly";
    public static final String SATISFACTION_MONTHLY = "satisfaction_monthly";
    public static final String SATISFACTION_FOLLOWUP = "satisfaction_followup";

    /** Levels 1–5: 3 is "Bình thường" (neutral); every rating at or below it must be answered. */
    public static final int FOLLOWUP_MAX_LEVEL = 3;

    static final String MONEY_USD = "decimal(22,2)";
    static final String MONEY_VND = "decimal(24,0)";

    // ------------------------------------------------------------------ declarations

    /**
     * silver.declarations → gold.declarations_monthly. Every registered declaration counts (the
     * cancelled ones too, also counted in {@code cancelled}); invoice value and tax are summed over
     * the declarations not cancelled, since a cancelled declaration moves no goods and owes no tax.
     */
    public static Dataset<Row> declarationsMonthly(Dataset<Row> declarations) {
        Column notCancelled = coalesce(col("is_cancelled"), lit(false)).equalTo(false);
        Dataset<Row> cur = declarations
                .groupBy(col("department_code"), col("office_code"), col("registration_year").as("year"),
                        month(col("registration_date")).as("month"), col("direction"))
                .agg(count(lit(1)).as("declarations"),
                        count(when(col("is_cancelled"), lit(1))).as("cancelled"),
                        sum(when(notCancelled, col("invoice_value_usd"))).as("invoice_value_usd"),
                        sum(when(notCancelled, col("tax_amount_vnd"))).as("tax_amount_vnd"));
        Dataset<Row> out = withPrevYear(cur, List.of("department_code", "office_code", "direction"),
                List.of("declarations", "cancelled", "invoice_value_usd", "tax_amount_vnd"),
                Map.of("declarations", "prev_year_declarations"));
        return out.select(
                col("department_code"), col("office_code"), col("year").cast("int").as("year"),
                col("month").cast("int").as("month"), col("direction"),
                col("declarations").cast("long").as("declarations"),
                col("cancelled").cast("long").as("cancelled"),
                col("invoice_value_usd").cast(MONEY_USD).as("invoice_value_usd"),
                col("tax_amount_vnd").cast(MONEY_VND).as("tax_amount_vnd"),
                col("prev_year_declarations").cast("long").as("prev_year_declarations"));
    }

    /**
     * silver.declarations → gold.enterprise_activity_monthly: one row per declarant and month, so
     * distinct enterprises over any range of months are {@code count(distinct enterprise_tax_code)}.
     * Same counting rule as declarations_monthly.
     */
    public static Dataset<Row> enterpriseActivityMonthly(Dataset<Row> declarations) {
        Column notCancelled = coalesce(col("is_cancelled"), lit(false)).equalTo(false);
        return declarations
                .groupBy(col("department_code"), col("registration_year").as("year"),
                        month(col("registration_date")).as("month"), col("enterprise_tax_code"))
                .agg(count(lit(1)).as("declarations"),
                        sum(when(notCancelled, col("invoice_value_usd"))).as("invoice_value_usd"))
                .select(col("department_code"), col("year").cast("int").as("year"),
                        col("month").cast("int").as("month"), col("enterprise_tax_code"),
                        col("declarations").cast("long").as("declarations"),
                        coalesce(col("invoice_value_usd"), lit(0)).cast(MONEY_USD).as("invoice_value_usd"));
    }

    // ------------------------------------------------------------------ NSW, E-Manifest, C/O

    /**
     * silver.nsw_dossiers → gold.nsw_monthly. Submitted dossiers count in the month they were
     * submitted; results (dossiers and distinct declarations) in the month the result came back,
     * which is how the reform report counts "declarations that got their result through the NSW".
     * A declaration with several dossiers answered in the same month and office counts once.
     */
    public static Dataset<Row> nswMonthly(Dataset<Row> nsw) {
        Dataset<Row> submitted = nsw
                .groupBy(col("department_code"), col("office_code"),
                        year(col("submitted_at")).as("year"), month(col("submitted_at")).as("month"))
                .agg(count(lit(1)).as("dossiers_submitted"));
        Dataset<Row> results = nsw.where(col("result_at").isNotNull())
                .groupBy(col("department_code"), col("office_code"),
                        year(col("result_at")).as("year"), month(col("result_at")).as("month"))
                .agg(count(lit(1)).as("dossiers_with_result"),
                        countDistinct(col("declaration_no")).as("declarations_with_result"));
        Dataset<Row> cur = submitted.join(results,
                seq("department_code", "office_code", "year", "month"), "full_outer");
        Dataset<Row> out = withPrevYear(cur, List.of("department_code", "office_code"),
                List.of("dossiers_submitted", "dossiers_with_result", "declarations_with_result"),
                Map.of("declarations_with_result", "prev_year_declarations_with_result"));
        return out.select(col("department_code"), col("office_code"), col("year").cast("int").as("year"),
                col("month").cast("int").as("month"),
                col("dossiers_submitted").cast("long").as("dossiers_submitted"),
                col("dossiers_with_result").cast("long").as("dossiers_with_result"),
                col("declarations_with_result").cast("long").as("declarations_with_result"),
                col("prev_year_declarations_with_result").cast("long").as("prev_year_declarations_with_result"));
    }

    /** silver.emanifest → gold.emanifest_monthly: vehicle movements declared, by month of declaration. */
    public static Dataset<Row> emanifestMonthly(Dataset<Row> emanifest) {
        Dataset<Row> cur = emanifest
                .groupBy(col("department_code"), col("office_code"), col("declared_year").as("year"),
                        month(col("declared_at")).as("month"), col("vehicle_type"), col("movement"))
                .agg(count(lit(1)).as("movements"));
        Dataset<Row> out = withPrevYear(cur, List.of("department_code", "office_code", "vehicle_type", "movement"),
                List.of("movements"), Map.of("movements", "prev_year_movements"));
        return out.select(col("department_code"), col("office_code"), col("year").cast("int").as("year"),
                col("month").cast("int").as("month"), col("vehicle_type"), col("movement"),
                col("movements").cast("long").as("movements"),
                col("prev_year_movements").cast("long").as("prev_year_movements"));
    }

    /** silver.certificates_of_origin → gold.co_monthly: certificates received per form and channel. */
    public static Dataset<Row> coMonthly(Dataset<Row> certificates) {
        Dataset<Row> cur = certificates
                .groupBy(col("department_code"), col("office_code"), col("received_year").as("year"),
                        month(col("received_at")).as("month"), col("form"), col("is_electronic"))
                .agg(count(lit(1)).as("certificates"));
        Dataset<Row> out = withPrevYear(cur, List.of("department_code", "office_code", "form", "is_electronic"),
                List.of("certificates"), Map.of("certificates", "prev_year_certificates"));
        return out.select(col("department_code"), col("office_code"), col("year").cast("int").as("year"),
                col("month").cast("int").as("month"), col("form"), col("is_electronic"),
                col("certificates").cast("long").as("certificates"),
                col("prev_year_certificates").cast("long").as("prev_year_certificates"));
    }

    // ------------------------------------------------------------------ administrative dossiers

    /**
     * silver.admin_dossiers + silver.dossier_reports → gold.admin_dossiers_monthly. What the
     * warehouse counted and what the department reported sit side by side; the reported figures are
     * kept exactly as filed (null where the report leaves a part out) and a mismatch is described in
     * {@code reconciliation_note}, never corrected. Diffs in the note are "left side − right side".
     */
    public static Dataset<Row> adminDossiersMonthly(Dataset<Row> adminDossiers, Dataset<Row> dossierReports) {
        Column ch = upper(trim(col("submission_channel")));
        Dataset<Row> counted = adminDossiers
                .groupBy(col("department_code"), col("received_year").as("year"), month(col("received_at")).as("month"))
                .agg(count(lit(1)).as("counted_total"),
                        count(when(ch.equalTo("ONLINE"), lit(1))).as("counted_online"),
                        count(when(ch.equalTo("IN_PERSON"), lit(1))).as("counted_in_person"),
                        count(when(ch.equalTo("POST"), lit(1))).as("counted_post"));
        Dataset<Row> reported = dossierReports.select(col("department_code"), col("year"), col("month"),
                col("total_received").cast("long").as("reported_total"),
                col("online").cast("long").as("reported_online"),
                col("in_person").cast("long").as("reported_in_person"),
                col("post").cast("long").as("reported_post"),
                col("in_person_or_post").cast("long").as("reported_in_person_or_post"));
        Dataset<Row> cur = counted.join(reported, seq("department_code", "year", "month"), "full_outer");
        Dataset<Row> w = withPrevYear(cur, List.of("department_code"),
                List.of("counted_total", "counted_online", "counted_in_person", "counted_post"),
                Map.of("counted_total", "prev_year_counted_total", "counted_online", "prev_year_counted_online"));

        Column cTotal = col("counted_total"), cOnline = col("counted_online"),
                cInPerson = col("counted_in_person"), cPost = col("counted_post");
        Column rTotal = col("reported_total"), rOnline = col("reported_online"), rInPerson = col("reported_in_person"),
                rPost = col("reported_post"), rCombined = col("reported_in_person_or_post");
        Column hasReport = rTotal.isNotNull();
        Column hasSplit = rInPerson.isNotNull().and(rPost.isNotNull());
        Column hasCombined = rCombined.isNotNull();
        Column splitSum = rOnline.plus(rInPerson).plus(rPost);
        Column combinedSum = rOnline.plus(rCombined);

        Column consistent = when(hasReport.equalTo(false), lit(null).cast("boolean"))
                .when(hasSplit, splitSum.equalTo(rTotal)
                        .and(hasCombined.equalTo(false).or(rCombined.equalTo(rInPerson.plus(rPost)))))
                .when(hasCombined, combinedSum.equalTo(rTotal))
                .otherwise(lit(false));
        Column matching = when(hasReport.equalTo(false), lit(null).cast("boolean"))
                .otherwise(cTotal.equalTo(rTotal)
                        .and(rOnline.isNull().or(cOnline.equalTo(rOnline)))
                        .and(rInPerson.isNull().or(cInPerson.equalTo(rInPerson)))
                        .and(rPost.isNull().or(cPost.equalTo(rPost)))
                        .and(rCombined.isNull().or(cInPerson.plus(cPost).equalTo(rCombined))));

        Column noteText = concat_ws("; ",
                when(hasReport.equalTo(false),
                        format_string("no report filed by the department for this month (counted %d)", cTotal)),
                when(hasReport.and(hasSplit).and(splitSum.notEqual(rTotal)),
                        format_string("reported %d ≠ online %d + in person %d + post %d (diff %d)",
                                rTotal, rOnline, rInPerson, rPost, rTotal.minus(splitSum))),
                when(hasReport.and(hasSplit).and(hasCombined).and(rCombined.notEqual(rInPerson.plus(rPost))),
                        format_string("reported in person/post %d ≠ in person %d + post %d (diff %d)",
                                rCombined, rInPerson, rPost, rCombined.minus(rInPerson.plus(rPost)))),
                when(hasReport.and(hasSplit.equalTo(false)).and(hasCombined).and(combinedSum.notEqual(rTotal)),
                        format_string("reported %d ≠ online %d + in person/post %d (diff %d)",
                                rTotal, rOnline, rCombined, rTotal.minus(combinedSum))),
                when(hasReport.and(hasSplit.equalTo(false)).and(hasCombined.equalTo(false)),
                        format_string("reported parts incomplete: in person %s, post %s, no combined in person/post figure",
                                coalesce(rInPerson.cast("string"), lit("missing")),
                                coalesce(rPost.cast("string"), lit("missing")))),
                when(hasReport.and(cTotal.notEqual(rTotal)),
                        format_string("counted %d ≠ reported %d (diff %d)", cTotal, rTotal, cTotal.minus(rTotal))),
                when(hasReport.and(cOnline.notEqual(rOnline)),
                        format_string("counted online %d ≠ reported online %d (diff %d)", cOnline, rOnline, cOnline.minus(rOnline))),
                when(hasReport.and(cInPerson.notEqual(rInPerson)),
                        format_string("counted in person %d ≠ reported in person %d (diff %d)",
                                cInPerson, rInPerson, cInPerson.minus(rInPerson))),
                when(hasReport.and(cPost.notEqual(rPost)),
                        format_string("counted post %d ≠ reported post %d (diff %d)", cPost, rPost, cPost.minus(rPost))),
                when(hasReport.and(cInPerson.plus(cPost).notEqual(rCombined)),
                        format_string("counted in person/post %d ≠ reported in person/post %d (diff %d)",
                                cInPerson.plus(cPost), rCombined, cInPerson.plus(cPost).minus(rCombined))));
        Column note = when(noteText.equalTo(""), lit(null).cast("string")).otherwise(noteText);

        return w.select(col("department_code"), col("year").cast("int").as("year"), col("month").cast("int").as("month"),
                cTotal.cast("long").as("counted_total"), cOnline.cast("long").as("counted_online"),
                cInPerson.cast("long").as("counted_in_person"), cPost.cast("long").as("counted_post"),
                rTotal.as("reported_total"), rOnline.as("reported_online"), rInPerson.as("reported_in_person"),
                rPost.as("reported_post"), rCombined.as("reported_in_person_or_post"),
                consistent.as("is_reported_consistent"), matching.as("is_count_matching_report"),
                note.as("reconciliation_note"),
                col("prev_year_counted_total").cast("long").as("prev_year_counted_total"),
                col("prev_year_counted_online").cast("long").as("prev_year_counted_online"));
    }

    // ------------------------------------------------------------------ reform plan, revenue

    /** silver.reform_tasks → gold.reform_tasks: the current state of every task of every plan. */
    public static Dataset<Row> reformTasks(Dataset<Row> tasks) {
        return tasks.select(col("task_id"), col("department_code"), col("plan_year").cast("int").as("plan_year"),
                col("task_group"), col("task_name"), col("owner_unit"), col("due_date"), col("status"),
                col("completed_on"),
                coalesce(upper(trim(col("status"))).equalTo("COMPLETED"), lit(false)).as("is_completed"));
    }

    /**
     * silver.revenue + silver.revenue_targets → gold.revenue_monthly: revenue per department and
     * month with that year's MOF and GDC targets (yearly figures, repeated on every month) beside it.
     */
    public static Dataset<Row> revenueMonthly(Dataset<Row> revenue, Dataset<Row> targets) {
        Dataset<Row> cur = revenue.groupBy(col("department_code"), col("year"), col("month"))
                .agg(sum(col("revenue_vnd")).as("revenue_vnd"));
        Dataset<Row> w = withPrevYear(cur, List.of("department_code"), List.of("revenue_vnd"),
                Map.of("revenue_vnd", "prev_year_revenue_vnd"));
        Column src = upper(trim(col("target_source")));
        Dataset<Row> t = targets.groupBy(col("department_code"), col("target_year").as("year"))
                .agg(max(when(src.equalTo("MOF"), col("target_vnd"))).as("target_mof_vnd"),
                        max(when(src.equalTo("GDC"), col("target_vnd"))).as("target_gdc_vnd"));
        return w.join(t, seq("department_code", "year"), "left")
                .select(col("department_code"), col("year").cast("int").as("year"), col("month").cast("int").as("month"),
                        col("revenue_vnd").cast(MONEY_VND).as("revenue_vnd"),
                        col("target_mof_vnd").cast(MONEY_VND).as("target_mof_vnd"),
                        col("target_gdc_vnd").cast(MONEY_VND).as("target_gdc_vnd"),
                        col("prev_year_revenue_vnd").cast(MONEY_VND).as("prev_year_revenue_vnd"));
    }

    // ------------------------------------------------------------------ satisfaction

    /**
     * silver.satisfaction_ratings → gold.satisfaction_monthly, long format: one rating gives three
     * rows (officer, team, office), each at its own level. Only levels that occur have a row.
     */
    public static Dataset<Row> satisfactionMonthly(Dataset<Row> ratings) {
        return ratings
                .select(col("department_code"), col("office_code"), col("team_code"),
                        col("rated_year").as("year"), month(col("rated_at")).as("month"),
                        expr("stack(3, 'OFFICER', officer_level, 'TEAM', team_level, 'OFFICE', office_level) AS (subject, level)"))
                .where(col("level").isNotNull())
                .groupBy(col("department_code"), col("office_code"), col("team_code"), col("year"), col("month"),
                        col("subject"), col("level"))
                .agg(count(lit(1)).as("ratings"))
                .select(col("department_code"), col("office_code"), col("team_code"), col("year").cast("int").as("year"),
                        col("month").cast("int").as("month"), col("subject"), col("level").cast("int").as("level"),
                        col("ratings").cast("long").as("ratings"));
    }

    /**
     * silver.satisfaction_ratings → gold.satisfaction_followup: every rating with any level at or
     * below neutral. The worst level is recomputed from the three levels rather than trusted, so no
     * rating can slip through a bad derived column.
     */
    public static Dataset<Row> satisfactionFollowup(Dataset<Row> ratings) {
        Column worst = least(col("officer_level"), col("team_level"), col("office_level"));
        return ratings.where(worst.leq(FOLLOWUP_MAX_LEVEL))
                .select(col("rating_id"), col("declaration_no"), col("department_code"), col("office_code"),
                        col("team_code"), col("officer_id"), col("rated_at"),
                        col("officer_level").cast("int").as("officer_level"),
                        col("team_level").cast("int").as("team_level"),
                        col("office_level").cast("int").as("office_level"),
                        worst.cast("int").as("worst_level"), col("comment"));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Joins the same key one year earlier onto {@code cur} (which has department_code, year, month,
     * the {@code dims} and the {@code measures}), names the previous figures as {@code prevNames}
     * says, and sets current measures of previous-year-only rows to 0. See the class comment for
     * which previous-year-only rows are kept.
     */
    static Dataset<Row> withPrevYear(Dataset<Row> cur, List<String> dims, List<String> measures,
                                     Map<String, String> prevNames) {
        List<Column> prevCols = new ArrayList<>();
        for (String d : dims) prevCols.add(col(d));
        prevCols.add(col("year").plus(1).as("year"));
        prevCols.add(col("month"));
        Map<String, String> ordered = new LinkedHashMap<>(prevNames);
        ordered.forEach((m, p) -> prevCols.add(col(m).as(p)));
        Dataset<Row> prev = cur.select(prevCols.toArray(Column[]::new));

        List<String> keys = new ArrayList<>(dims);
        keys.add("year");
        keys.add("month");
        Dataset<Row> covered = cur.select("department_code", "year", "month").distinct();
        Dataset<Row> joined = cur.join(prev, seq(keys), "full_outer")
                .join(covered, seq("department_code", "year", "month"), "left_semi");

        List<Column> outCols = new ArrayList<>();
        for (String c : joined.columns()) {
            outCols.add(measures.contains(c) ? coalesce(col(c), lit(0)).as(c) : col(c));
        }
        return joined.select(outCols.toArray(Column[]::new));
    }

    static Seq<String> seq(String... names) {
        return seq(List.of(names));
    }

    static Seq<String> seq(List<String> names) {
        return JavaConverters.asScalaBuffer(new ArrayList<>(names)).toSeq();
    }
}
