package vn.customs.cw.reports;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static vn.customs.cw.reports.ReportInputs.bool;
import static vn.customs.cw.reports.ReportInputs.dbl;
import static vn.customs.cw.reports.ReportInputs.lng;
import static vn.customs.cw.reports.ReportInputs.str;

/** Administrative-reform progress of one department over one period (template {@code reform}). */
final class ReformReport {
    private final ReportInputs in;
    private final ReportContent out;
    private final Formats f;
    private boolean anyData;

    ReformReport(ReportInputs in, ReportContent out) {
        this.in = in;
        this.out = out;
        this.f = in.fmt();
    }

    void build() {
        tasks();
        dossiers();
        yearOnYear();
        activity();
        revenue();
        releaseTime();
        if (!anyData) throw ReportInputs.noData(in, "no reform tasks, dossiers, declarations or revenue");
    }

    private void tasks() {
        out.section("section.tasks");
        Dataset<Row> t = in.goldOrNull("reform_tasks");
        if (t == null) { missing("reform_tasks"); return; }
        Date end = Date.valueOf(in.period().end());
        // Completed within the period: a task completed after the period's end was still open then.
        Column done = col("is_completed").equalTo(lit(true))
                .and(col("completed_on").isNull().or(col("completed_on").leq(lit(end))));
        Dataset<Row> plan = t.filter(in.dept().and(col("plan_year").equalTo(lit(in.period().year()))));
        Row r = plan.agg(count(lit(1)), sum(when(done, 1).otherwise(0))).head();
        long total = r.getLong(0);
        long completed = r.isNullAt(1) ? 0 : r.getLong(1);
        out.param("P_TASKS", total == 0 ? Formats.MISSING
                : out.label("tasks.completed", f.integer(completed), f.integer(total), f.pct(Formats.share(completed, total))));
        if (total == 0) { out.note(out.label("note.noTasks", Integer.toString(in.period().year()))); return; }
        anyData = true;
        out.row(out.label("tasks.completedRow"), f.integer(completed) + " / " + f.integer(total),
                f.pct(Formats.share(completed, total)));
        List<Row> open = plan.filter(not(done))
                .select(col("task_name"), col("owner_unit"), col("due_date"), col("status"), col("task_group"))
                .orderBy(col("due_date").asc_nulls_last(), col("task_id")).collectAsList();   // tens of tasks a year
        if (open.isEmpty()) return;
        out.section("section.openTasks");
        out.head(out.label("col.task"), out.label("col.group"), out.label("col.owner"), out.label("col.dueDate"),
                out.label("col.status"));
        for (Row o : open) {
            Date due = o.isNullAt(2) ? null : o.getDate(2);
            out.text(str(o, 0), str(o, 4), str(o, 1), due == null ? Formats.MISSING : f.date(due.toLocalDate()), str(o, 3));
        }
    }

    private void dossiers() {
        out.section("section.dossiers");
        Dataset<Row> d = in.goldOrNull("admin_dossiers_monthly");
        if (d == null) { missing("admin_dossiers_monthly"); return; }
        Row r = d.filter(in.dept().and(in.period().monthly()))
                .agg(count(lit(1)),
                        sum("counted_total"), sum("counted_online"), sum("counted_in_person"), sum("counted_post"),
                        sum("reported_total"), sum("reported_online"), sum("reported_in_person"), sum("reported_post"),
                        sum(coalesce(col("reported_in_person_or_post"),
                                col("reported_in_person").plus(col("reported_post")))),
                        sum(when(col("is_reported_consistent").equalTo(lit(false)), 1).otherwise(0)),
                        sum(when(col("is_count_matching_report").equalTo(lit(false)), 1).otherwise(0)),
                        collect_set(col("reconciliation_note")))
                .head();
        if (r.getLong(0) == 0) { out.note(out.label("note.noData")); return; }
        anyData = true;
        Long cTotal = lng(r, 1), cOnline = lng(r, 2), cInPerson = lng(r, 3), cPost = lng(r, 4);
        Long rTotal = lng(r, 5), rOnline = lng(r, 6), rInPerson = lng(r, 7), rPost = lng(r, 8), rInPersonOrPost = lng(r, 9);
        long badMonths = r.isNullAt(10) ? 0 : r.getLong(10);
        long mismatchMonths = r.isNullAt(11) ? 0 : r.getLong(11);
        boolean reported = rTotal != null;
        Long total = reported ? rTotal : cTotal;
        Long online = reported ? rOnline : cOnline;
        Long offline = reported ? rInPersonOrPost : sumOrNull(cInPerson, cPost);
        out.param("P_DOSSIERS", out.label("dossiers.headline", f.integer(total), f.integer(online),
                f.pct(Formats.share(online, total))));
        out.head(out.label("col.item"), out.label("col.reported"), out.label("col.share"),
                out.label("col.counted"), out.label("col.share"));
        out.row(out.label("dossiers.total"), f.integer(rTotal), rTotal == null ? Formats.MISSING : f.pct(1.0),
                f.integer(cTotal), cTotal == null ? Formats.MISSING : f.pct(1.0));
        out.row(out.label("dossiers.online"), f.integer(rOnline), f.pct(Formats.share(rOnline, rTotal)),
                f.integer(cOnline), f.pct(Formats.share(cOnline, cTotal)));
        out.row(out.label("dossiers.inPerson"), f.integer(rInPerson), f.pct(Formats.share(rInPerson, rTotal)),
                f.integer(cInPerson), f.pct(Formats.share(cInPerson, cTotal)));
        out.row(out.label("dossiers.post"), f.integer(rPost), f.pct(Formats.share(rPost, rTotal)),
                f.integer(cPost), f.pct(Formats.share(cPost, cTotal)));
        out.row(out.label("dossiers.inPersonOrPost"), f.integer(rInPersonOrPost),
                f.pct(Formats.share(rInPersonOrPost, rTotal)), f.integer(sumOrNull(cInPerson, cPost)),
                f.pct(Formats.share(sumOrNull(cInPerson, cPost), cTotal)));
        // Source figures disagree with themselves (seed 001: 119,910 + 7,329 = 127,239, not 127,258):
        // the report says so in red, next to the figures and in the headline, and never corrects them.
        List<String> warnings = new ArrayList<>();
        if (reported && rOnline != null && rInPersonOrPost != null && rOnline + rInPersonOrPost != rTotal) {
            long parts = rOnline + rInPersonOrPost;
            warnings.add(out.label("warn.partsDiffer", f.integer(rOnline), f.integer(rInPersonOrPost),
                    f.integer(parts), f.integer(rTotal), f.integer(rTotal - parts)));
        } else if (badMonths > 0) {
            warnings.add(out.label("warn.monthsInconsistent", f.integer(badMonths)));
        }
        if (reported && cTotal != null && !cTotal.equals(rTotal)) {
            warnings.add(out.label("warn.countDiffers", f.integer(cTotal), f.integer(rTotal), f.integer(cTotal - rTotal)));
        } else if (mismatchMonths > 0) {
            warnings.add(out.label("warn.monthsCountDiffer", f.integer(mismatchMonths)));
        }
        warnings.forEach(out::warn);
        // The mart's per-month notes are written in English for the data engineers; the report
        // shows them as they are in English and points to them in other languages.
        List<String> notes = r.<Object>getList(12).stream().map(String::valueOf).filter(s -> !s.isBlank()).sorted().toList();
        if (!notes.isEmpty()) {
            if (in.fmt().locale().getLanguage().equals("en")) notes.forEach(out::note);
            else out.note(out.label("note.monthlyReconciliation", notes.size()));
        }
        if (!warnings.isEmpty()) out.param("P_WARNING", String.join("\n", warnings));
    }

    private static Long sumOrNull(Long a, Long b) {
        return a == null && b == null ? null : (a == null ? 0 : a) + (b == null ? 0 : b);
    }

    /**
     * This period and the same months of the previous year. The previous year comes from the
     * table's own rows of that year; when the warehouse has none, from the prev_year_* columns.
     */
    private Row yoy(Dataset<Row> t, String value, String prevCol) {
        Period p = in.period(), q = p.previousYear();
        Column now = col("year").equalTo(lit(p.year()));
        Column before = col("year").equalTo(lit(q.year()));
        return t.filter(p.monthly().or(q.monthly()))
                .agg(sum(when(now, col(value))), sum(when(before, col(value))),
                        count(when(before, lit(1))), sum(when(now, col(prevCol))), count(when(now, lit(1))))
                .head();
    }

    private void yoyRow(String label, Row r) {
        Long now = lng(r, 0);
        Long prev = r.getLong(2) > 0 ? lng(r, 1) : lng(r, 3);
        if (r.getLong(4) > 0) anyData = true;
        out.row(label, f.integer(now == null ? 0L : now), f.integer(prev), f.signedPct(Formats.change(now, prev)));
    }

    private void yearOnYear() {
        out.section("section.yoy");
        out.head(out.label("col.item"), out.label("col.thisPeriod"), out.label("col.prevYear"), out.label("col.change"));
        Dataset<Row> nsw = in.goldOrNull("nsw_monthly");
        if (nsw == null) missing("nsw_monthly");
        else yoyRow(out.label("yoy.nsw"), yoy(nsw.filter(in.dept()), "declarations_with_result", "prev_year_declarations_with_result"));
        Dataset<Row> em = in.goldOrNull("emanifest_monthly");
        if (em == null) missing("emanifest_monthly");
        else yoyRow(out.label("yoy.emanifest"), yoy(em.filter(in.dept()), "movements", "prev_year_movements"));
        Dataset<Row> co = in.goldOrNull("co_monthly");
        if (co == null) { missing("co_monthly"); return; }
        Dataset<Row> eco = co.filter(in.dept().and(col("is_electronic").equalTo(lit(true))));
        List<Row> forms = eco.filter(in.period().monthly().or(in.period().previousYear().monthly()))
                .select(col("form")).distinct().orderBy(col("form")).collectAsList();
        if (forms.isEmpty()) out.row(out.label("yoy.co", Formats.MISSING), f.integer(0L), Formats.MISSING, Formats.MISSING);
        for (Row form : forms) {
            String name = str(form, 0);
            yoyRow(out.label("yoy.co", name), yoy(eco.filter(col("form").equalTo(lit(name))), "certificates", "prev_year_certificates"));
        }
    }

    private void activity() {
        out.section("section.activity");
        Dataset<Row> d = in.goldOrNull("declarations_monthly");
        Dataset<Row> e = in.goldOrNull("enterprise_activity_monthly");
        out.head(out.label("col.item"), out.label("col.thisPeriod"), out.label("col.prevYear"), out.label("col.change"));
        if (d == null) missing("declarations_monthly");
        else {
            Dataset<Row> dd = d.filter(in.dept());
            Row r = yoy(dd, "declarations", "prev_year_declarations");
            yoyRow(out.label("activity.declarations"), r);
            out.param("P_DECLARATIONS", f.integer(lng(r, 0) == null ? 0L : lng(r, 0)));
            Period p = in.period(), q = p.previousYear();
            Row v = dd.filter(p.monthly().or(q.monthly()))
                    .agg(sum(when(col("year").equalTo(lit(p.year())), col("invoice_value_usd"))),
                            sum(when(col("year").equalTo(lit(q.year())), col("invoice_value_usd")))).head();
            Double now = dbl(v, 0), prev = dbl(v, 1);
            out.row(out.label("activity.turnover"), f.decimal(now == null ? null : now / 1e6, 1),
                    f.decimal(prev == null ? null : prev / 1e6, 1), f.signedPct(Formats.change(now, prev)));
        }
        if (e == null) { missing("enterprise_activity_monthly"); return; }
        Period p = in.period(), q = p.previousYear();
        // Distinct over the whole period: summing monthly counts would count an enterprise once a month.
        Dataset<Row> de = e.filter(in.dept());
        long now = de.filter(p.monthly()).agg(countDistinct(col("enterprise_tax_code"))).head().getLong(0);
        long prev = de.filter(q.monthly()).agg(countDistinct(col("enterprise_tax_code"))).head().getLong(0);
        if (now > 0) anyData = true;
        out.row(out.label("activity.enterprises"), f.integer(now), prev == 0 ? Formats.MISSING : f.integer(prev),
                f.signedPct(Formats.change(now, prev == 0 ? null : prev)));
    }

    private void revenue() {
        out.section("section.revenue");
        Dataset<Row> rv = in.goldOrNull("revenue_monthly");
        if (rv == null) { missing("revenue_monthly"); return; }
        Period p = in.period(), q = p.previousYear();
        // The targets are the year's targets, carried on every month of the year.
        Row r = rv.filter(in.dept().and(p.monthly().or(q.monthly())))
                .agg(sum(when(col("year").equalTo(lit(p.year())), col("revenue_vnd"))),
                        max(when(col("year").equalTo(lit(p.year())), col("target_mof_vnd"))),
                        max(when(col("year").equalTo(lit(p.year())), col("target_gdc_vnd"))),
                        sum(when(col("year").equalTo(lit(q.year())), col("revenue_vnd"))),
                        count(when(col("year").equalTo(lit(p.year())), lit(1))))
                .head();
        if (r.getLong(4) == 0) { out.note(out.label("note.noData")); return; }
        anyData = true;
        Double rev = dbl(r, 0), mof = dbl(r, 1), gdc = dbl(r, 2), prev = dbl(r, 3);
        out.head(out.label("col.item"), out.label("col.amountBn"), out.label("col.achieved"));
        out.row(out.label("revenue.collected"), bn(rev), Formats.MISSING);
        out.row(out.label("revenue.mof"), bn(mof), f.pct(Formats.share(rev, mof)));
        out.row(out.label("revenue.gdc"), bn(gdc), f.pct(Formats.share(rev, gdc)));
        out.row(out.label("revenue.prevYear"), bn(prev), f.signedPct(Formats.change(rev, prev)));
        out.param("P_REVENUE", out.label("revenue.headline", bn(rev), f.pct(Formats.share(rev, mof)), f.pct(Formats.share(rev, gdc))));
    }

    private String bn(Double vnd) {
        return f.decimal(vnd == null ? null : vnd / 1e9, 0);
    }

    private void releaseTime() {
        out.section("section.releaseSummary");
        Dataset<Row> s = in.goldOrNull("trs_campaign_summary");
        if (s == null) { missing("trs_campaign_summary"); return; }
        Dataset<Row> dep = s.filter(in.dept().and(col("office_code").equalTo(lit("ALL")))
                .and(col("week_start").leq(lit(Date.valueOf(in.period().end())))));
        List<Row> latest = dep.orderBy(col("week_start").desc(), col("campaign_id").desc()).select("campaign_id").limit(1).collectAsList();
        if (latest.isEmpty()) { out.note(out.label("note.noCampaign")); return; }
        String campaign = latest.get(0).getString(0);
        List<Row> rows = dep.filter(col("campaign_id").equalTo(lit(campaign)))
                .select("direction", "week_start", "week_end", "declarations", "mean_seconds", "change_seconds",
                        "prev_mean_seconds", "customs_share", "meets_target")
                .orderBy(col("direction").desc()).collectAsList();
        Row first = rows.get(0);
        out.note(out.label("release.campaign", campaign, f.date(first.getDate(1).toLocalDate()), f.date(first.getDate(2).toLocalDate())));
        out.head(out.label("col.direction"), out.label("col.declarations"), out.label("col.mean"), out.label("col.change"),
                out.label("col.changePct"), out.label("col.customsShare"), out.label("col.target"));
        for (Row r : rows) {
            Boolean met = bool(r, 8);
            out.row(out.label("direction." + r.getString(0)), f.integer(lng(r, 3)), f.duration(lng(r, 4)),
                    f.signedDuration(lng(r, 5)), f.signedPct(Formats.change(lng(r, 4), lng(r, 6))), f.pct(dbl(r, 7)),
                    met == null ? Formats.MISSING : out.label(met ? "target.met" : "target.missed"));
        }
    }

    private void missing(String table) {
        out.note(out.label("note.missingTable", "gold." + table));
    }
}
