package vn.customs.cw.reports;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static vn.customs.cw.reports.ReportInputs.lng;
import static vn.customs.cw.reports.ReportInputs.str;

/**
 * Business satisfaction of one department over one period (template {@code satisfaction}). A rating
 * is one declaration rating the officer, the team and the sub-department; "declarations rated" is
 * the number of sub-department (OFFICE) ratings. Satisfied = levels 4 and 5.
 */
final class SatisfactionReport {
    static final int FOLLOW_UP_LIMIT = 5000;
    private static final String[] SUBJECTS = {"OFFICER", "TEAM", "OFFICE"};
    private final ReportInputs in;
    private final ReportContent out;
    private final Formats f;

    SatisfactionReport(ReportInputs in, ReportContent out) {
        this.in = in;
        this.out = out;
        this.f = in.fmt();
    }

    /** Ratings per level, index 1..5. */
    private static final class Levels {
        final long[] n = new long[6];

        long total() { long t = 0; for (int i = 1; i <= 5; i++) t += n[i]; return t; }

        long satisfied() { return n[4] + n[5]; }
    }

    void build() {
        List<Row> agg = in.gold("satisfaction_monthly").filter(in.dept().and(in.period().monthly()))
                .groupBy("office_code", "team_code", "subject", "level").agg(sum("ratings"))
                .collectAsList();   // offices x teams x 3 subjects x 5 levels
        Map<String, Levels> bySubject = new TreeMap<>();
        Map<String, Levels> byOffice = new TreeMap<>();
        Map<String, Levels> byTeam = new TreeMap<>();
        for (Row r : agg) {
            int level = ((Number) r.get(3)).intValue();
            if (level < 1 || level > 5) throw new IllegalStateException("gold.satisfaction_monthly has level " + level);
            long n = lng(r, 4) == null ? 0 : lng(r, 4);
            String subject = r.getString(2);
            bySubject.computeIfAbsent(subject, k -> new Levels()).n[level] += n;
            if ("OFFICE".equals(subject)) byOffice.computeIfAbsent(r.getString(0), k -> new Levels()).n[level] += n;
            if ("TEAM".equals(subject)) byTeam.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new Levels()).n[level] += n;
        }
        Levels office = bySubject.getOrDefault("OFFICE", new Levels());
        if (office.total() == 0) throw ReportInputs.noData(in, "no satisfaction ratings");

        Long declarations = null;
        Dataset<Row> dm = in.goldOrNull("declarations_monthly");
        if (dm != null) {
            Row r = dm.filter(in.dept().and(in.period().monthly())).agg(sum("declarations")).head();
            declarations = lng(r, 0);
        }
        out.param("P_RATED", f.integer(office.total()));
        out.param("P_RATED_SHARE", f.pct(Formats.share(office.total(), declarations)));
        out.param("P_SATISFIED", f.pct(Formats.share(office.satisfied(), office.total())));

        out.section("section.overview");
        out.row(out.label("sat.rated"), f.integer(office.total()));
        out.row(out.label("sat.allDeclarations"), f.integer(declarations));
        out.row(out.label("sat.ratedShare"), f.pct(Formats.share(office.total(), declarations)));
        out.row(out.label("sat.satisfiedShare"), f.pct(Formats.share(office.satisfied(), office.total())));

        out.section("section.distribution");
        out.head(out.label("col.level"), out.label("subject.OFFICER"), out.label("subject.TEAM"),
                out.label("subject.OFFICE"), out.label("col.shareOffice"));
        Levels[] subj = new Levels[SUBJECTS.length];
        for (int i = 0; i < SUBJECTS.length; i++) subj[i] = bySubject.getOrDefault(SUBJECTS[i], new Levels());
        for (int level = 5; level >= 1; level--) {
            out.row(out.label("level." + level), f.integer(subj[0].n[level]), f.integer(subj[1].n[level]),
                    f.integer(subj[2].n[level]), f.pct(Formats.share(subj[2].n[level], subj[2].total())));
        }
        out.total(out.label("sat.total"), f.integer(subj[0].total()), f.integer(subj[1].total()), f.integer(subj[2].total()),
                f.pct(1.0));
        out.total(out.label("sat.satisfiedRow"), f.pct(Formats.share(subj[0].satisfied(), subj[0].total())),
                f.pct(Formats.share(subj[1].satisfied(), subj[1].total())),
                f.pct(Formats.share(subj[2].satisfied(), subj[2].total())));

        out.section("section.satOffices");
        unitHead();
        byOffice.forEach((code, l) -> unitRow(in.reference().office(code) + " (" + code + ")", l));

        out.section("section.satTeams");
        unitHead();
        byTeam.forEach((key, l) -> {
            String[] k = key.split("\\|", -1);
            unitRow(k[0] + " – " + in.reference().team(k[0], k[1]), l);
        });

        followUp();
    }

    private void unitHead() {
        out.head(out.label("col.unit"), out.label("col.ratings"), out.label("col.satisfied"),
                out.label("level.3"), out.label("col.negative"));
    }

    private void unitRow(String name, Levels l) {
        out.row(name, f.integer(l.total()), f.pct(Formats.share(l.satisfied(), l.total())), f.integer(l.n[3]),
                f.integer(l.n[1] + l.n[2]));
    }

    private void followUp() {
        out.section("section.followUp");
        Dataset<Row> fu = in.goldOrNull("satisfaction_followup");
        if (fu == null) { out.note(out.label("note.missingTable", "gold.satisfaction_followup")); return; }
        Dataset<Row> rows = fu.filter(in.dept().and(in.period().dates(to_date(col("rated_at")))));
        List<Row> list = rows.select("declaration_no", "rated_at", "office_code", "team_code", "officer_id",
                        "officer_level", "team_level", "office_level", "worst_level", "comment")
                .orderBy(col("worst_level").asc(), col("rated_at").asc(), col("rating_id"))
                .limit(FOLLOW_UP_LIMIT + 1).collectAsList();
        if (list.isEmpty()) { out.note(out.label("note.noFollowUp")); return; }
        out.head(out.label("col.declarationAt"), out.label("col.officeTeam"), out.label("col.officer"),
                out.label("col.levels"), out.label("col.worst"), out.label("col.comment"));
        ZoneId zone = in.config().zone();
        for (Row r : list.subList(0, Math.min(list.size(), FOLLOW_UP_LIMIT))) {
            String at = r.isNullAt(1) ? Formats.MISSING
                    : f.dateTime(r.getTimestamp(1).toInstant().atZone(zone));
            int worst = ((Number) r.get(8)).intValue();
            out.text(r.getString(0) + "\n" + at, str(r, 2) + " / " + str(r, 3), str(r, 4),
                    str(r, 5) + " / " + str(r, 6) + " / " + str(r, 7), out.label("level." + worst),
                    str(r, 9) == null ? "" : str(r, 9));
        }
        if (list.size() > FOLLOW_UP_LIMIT) out.warn(out.label("warn.followUpTruncated", f.integer((long) FOLLOW_UP_LIMIT)));
    }
}
