package vn.customs.cw.reports;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static vn.customs.cw.reports.ReportInputs.bool;
import static vn.customs.cw.reports.ReportInputs.dbl;
import static vn.customs.cw.reports.ReportInputs.lng;
import static vn.customs.cw.reports.ReportInputs.str;

/**
 * Release-time (Time Release Study) results of one measurement campaign (template
 * {@code release-time}). Without --campaign, the latest campaign of the department whose
 * measurement week starts inside the period.
 */
final class ReleaseTimeReport {
    static final String CHART_OFFICES = "CHART_OFFICES";
    static final String CHART_STEPS = "CHART_STEPS";
    private static final String[] DIRECTIONS = {"IMPORT", "EXPORT"};
    private final ReportInputs in;
    private final ReportContent out;
    private final Formats f;
    private String campaign;

    ReleaseTimeReport(ReportInputs in, ReportContent out) {
        this.in = in;
        this.out = out;
        this.f = in.fmt();
    }

    /** The campaign the report is about (resolved by {@link #build}). */
    String campaign() { return campaign; }

    void build() {
        Dataset<Row> s = in.gold("trs_campaign_summary").filter(in.dept());
        // A report re-rendered as of an older run reads a summary written before this count existed: "—".
        if (!java.util.Arrays.asList(s.columns()).contains("release_before_registration")) {
            s = s.withColumn("release_before_registration", lit(null).cast("long"));
        }
        campaign = resolveCampaign(s);
        List<Row> rows = s.filter(col("campaign_id").equalTo(lit(campaign)))
                .select("office_code", "direction", "week_start", "week_end", "follow_up_cutoff", "declarations",
                        "finished", "unfinished", "cancelled", "extreme_values", "mean_seconds", "median_seconds",
                        "customs_share", "agency_share", "trader_share", "port_share", "green_share", "yellow_share",
                        "red_share", "switched", "prev_campaign_id", "prev_mean_seconds", "change_seconds",
                        "target_seconds", "meets_target", "rank", "bottleneck_from", "bottleneck_to",
                        "bottleneck_party", "bottleneck_share", "release_before_registration")
                .collectAsList();   // offices x 2 directions
        Map<String, Row> dept = new TreeMap<>();
        List<Row> offices = new ArrayList<>();
        for (Row r : rows) {
            if ("ALL".equals(r.getString(0))) dept.put(r.getString(1), r);
            else offices.add(r);
        }
        if (dept.isEmpty()) throw ReportInputs.noData(in, "campaign " + campaign + " has no department-level results");
        Row any = dept.values().iterator().next();
        out.param("P_CAMPAIGN", out.label("release.campaign", campaign, f.date(any.getDate(2).toLocalDate()),
                f.date(any.getDate(3).toLocalDate())) + " " + out.label("release.cutoff", f.date(any.getDate(4).toLocalDate())));
        Row imp = dept.get("IMPORT"), exp = dept.get("EXPORT");
        out.param("P_IMPORT_MEAN", imp == null ? Formats.MISSING : f.duration(lng(imp, 10)) + " (" + Formats.hms(lng(imp, 10)) + ")");
        out.param("P_EXPORT_MEAN", exp == null ? Formats.MISSING : f.duration(lng(exp, 10)) + " (" + Formats.hms(lng(exp, 10)) + ")");

        summary(imp, exp);
        for (String d : DIRECTIONS) perOffice(d, offices);
        bottlenecks(dept, offices);
        excluded();
        charts(offices);
    }

    private String resolveCampaign(Dataset<Row> s) {
        if (in.campaignId() != null) {
            if (s.filter(col("campaign_id").equalTo(lit(in.campaignId()))).limit(1).count() == 0)
                throw new IllegalArgumentException("unknown campaign '" + in.campaignId() + "' for department "
                        + in.department() + ": not in gold.trs_campaign_summary");
            return in.campaignId();
        }
        List<Row> c = s.filter(in.period().dates(col("week_start")))
                .orderBy(col("week_start").desc(), col("campaign_id").desc()).select("campaign_id").limit(1).collectAsList();
        if (c.isEmpty()) throw ReportInputs.noData(in, "no release-time measurement campaign starts in the period");
        return c.get(0).getString(0);
    }

    private void summary(Row imp, Row exp) {
        out.section("section.releaseDept");
        out.head(out.label("col.item"), out.label("direction.IMPORT"), out.label("direction.EXPORT"));
        line("release.declarations", imp, exp, r -> f.integer(lng(r, 5)));
        line("release.finished", imp, exp, r -> f.integer(lng(r, 6)));
        line("release.unfinished", imp, exp, r -> f.integer(lng(r, 7)));
        line("release.extremes", imp, exp, r -> f.integer(lng(r, 9)));
        line("release.beforeRegistration", imp, exp, r -> f.integer(lng(r, 30)));
        line("release.mean", imp, exp, r -> f.duration(lng(r, 10)));
        line("release.meanHms", imp, exp, r -> Formats.hms(lng(r, 10)));
        line("release.median", imp, exp, r -> f.duration(lng(r, 11)));
        line("release.prevCampaign", imp, exp, r -> str(r, 20) == null ? Formats.MISSING
                : str(r, 20) + ": " + f.duration(lng(r, 21)));
        line("release.change", imp, exp, r -> f.signedDuration(lng(r, 22)));
        line("release.changePct", imp, exp, r -> f.signedPct(Formats.change(lng(r, 10), lng(r, 21))));
        line("release.customsShare", imp, exp, r -> f.pct(dbl(r, 12)));
        line("release.otherShare", imp, exp, r -> out.label("release.otherShareValue",
                f.pct(dbl(r, 13)), f.pct(dbl(r, 14)), f.pct(dbl(r, 15))));
        line("release.channels", imp, exp, r -> out.label("release.channelValue",
                f.pct(dbl(r, 16)), f.pct(dbl(r, 17)), f.pct(dbl(r, 18))));
        line("release.switched", imp, exp, r -> f.integer(lng(r, 19)));
        line("release.target", imp, exp, r -> f.duration(lng(r, 23)));
        line("release.meetsTarget", imp, exp, r -> met(bool(r, 24)));
        line("release.rank", imp, exp, r -> r.isNullAt(25) ? Formats.MISSING : f.integer(lng(r, 25)));
    }

    private void line(String key, Row imp, Row exp, java.util.function.Function<Row, String> v) {
        out.row(out.label(key), imp == null ? Formats.MISSING : v.apply(imp), exp == null ? Formats.MISSING : v.apply(exp));
    }

    private String met(Boolean b) {
        return b == null ? Formats.MISSING : out.label(b ? "target.met" : "target.missed");
    }

    private void perOffice(String direction, List<Row> offices) {
        List<Row> rows = offices.stream().filter(r -> direction.equals(r.getString(1)))
                .sorted(Comparator.comparing((Row r) -> r.isNullAt(25) ? Long.MAX_VALUE : lng(r, 25))
                        .thenComparing(r -> r.getString(0)))
                .toList();
        if (rows.isEmpty()) return;
        out.section("section.offices" + (direction.equals("IMPORT") ? "Import" : "Export"));
        out.head(out.label("col.office"), out.label("col.declarations"), out.label("col.mean"), out.label("col.change"),
                out.label("col.changePct"), out.label("col.customsShare"), out.label("col.targetRank"));
        for (Row r : rows) {
            out.row(officeName(r.getString(0)), f.integer(lng(r, 5)), f.duration(lng(r, 10)), f.signedDuration(lng(r, 22)),
                    f.signedPct(Formats.change(lng(r, 10), lng(r, 21))), f.pct(dbl(r, 12)),
                    met(bool(r, 24)) + " / " + (r.isNullAt(25) ? Formats.MISSING : f.integer(lng(r, 25))));
        }
    }

    private static int order(String milestone) {
        return vn.customs.cw.contracts.Milestone.parse(milestone).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
    }

    private String officeName(String code) {
        String n = in.reference().office(code);
        return n == null ? in.departmentName() : n + " (" + code + ")";
    }

    private void bottlenecks(Map<String, Row> dept, List<Row> offices) {
        out.section("section.bottleneck");
        out.head(out.label("col.step"), out.label("col.unit"), out.label("col.direction"), out.label("col.party"),
                out.label("col.shareOfTime"));
        List<Row> all = new ArrayList<>(dept.values());
        offices.stream().sorted(Comparator.comparing((Row r) -> r.getString(0)).thenComparing(r -> r.getString(1))).forEach(all::add);
        for (Row r : all) {
            if (r.isNullAt(26)) continue;
            String unit = "ALL".equals(r.getString(0)) ? out.label("unit.department") : r.getString(0);
            out.text(step(str(r, 26), str(r, 27)), unit, out.label("direction." + r.getString(1)),
                    party(str(r, 28)), f.pct(dbl(r, 29)));
        }
    }

    private String step(String from, String to) {
        return milestone(from) + " → " + milestone(to);
    }

    private String milestone(String m) {
        String key = "milestone." + m;
        return m == null ? Formats.MISSING : (hasLabel(key) ? out.label(key) : m);
    }

    private String party(String p) {
        String key = "party." + p;
        return p == null ? Formats.MISSING : (hasLabel(key) ? out.label(key) : p);
    }

    private boolean hasLabel(String key) {
        try { out.label(key); return true; } catch (java.util.MissingResourceException e) { return false; }
    }

    private void excluded() {
        Dataset<Row> x = in.goldOrNull("trs_excluded_units");
        out.section("section.excluded");
        if (x == null) { out.note(out.label("note.missingTable", "gold.trs_excluded_units")); return; }
        List<Row> rows = x.filter(in.dept().and(col("campaign_id").equalTo(lit(campaign))))
                .select("office_code", "declarations", "reason_code", "reason").orderBy("office_code").collectAsList();
        if (rows.isEmpty()) { out.note(out.label("note.noneExcluded")); return; }
        out.head(out.label("col.office"), out.label("col.declarations"), out.label("col.reason"));
        for (Row r : rows) {
            // The label comes from the reason code, so the Vietnamese report never shows the
            // engine's English text; an unknown code falls back to that text rather than hiding it.
            String key = "reason." + str(r, 2);
            String text = hasLabel(key)
                    ? out.label(key, f.integer(lng(r, 1)), f.integer(in.config().trs().minDeclarationsPerOffice()))
                    : str(r, 3);
            out.text(officeName(r.getString(0)), f.integer(lng(r, 1)), text);
        }
    }

    private void charts(List<Row> offices) {
        double imTarget = in.config().trs().targets().importHours();
        double exTarget = in.config().trs().targets().exportHours();
        String sIm = out.label("chart.import"), sEx = out.label("chart.export");
        String tIm = out.label("chart.importTarget"), tEx = out.label("chart.exportTarget");
        offices.stream().sorted(Comparator.comparing((Row r) -> r.getString(0))).forEach(r -> {
            Long mean = lng(r, 10);
            if (mean == null) return;
            boolean im = "IMPORT".equals(r.getString(1));
            out.chart(CHART_OFFICES, im ? sIm : sEx, r.getString(0), mean / 3600.0);
        });
        for (String code : offices.stream().map(r -> r.getString(0)).distinct().sorted().toList()) {
            out.chart(CHART_OFFICES, tIm, code, imTarget);
            out.chart(CHART_OFFICES, tEx, code, exTarget);
        }
        Dataset<Row> shares = in.goldOrNull("trs_interval_shares");
        if (shares == null) return;
        List<Row> steps = shares.filter(in.dept().and(col("campaign_id").equalTo(lit(campaign))))
                .select("office_code", "direction", "from_milestone", "to_milestone", "mean_seconds")
                .orderBy("office_code", "direction").collectAsList();
        // Series (steps) in clearance order, so the stacked bars read left to right like the procedure.
        steps = steps.stream().sorted(Comparator.comparing((Row r) -> order(r.getString(2)))
                .thenComparing(r -> order(r.getString(3)))).toList();
        for (Row r : steps) {
            String unit = ("ALL".equals(r.getString(0)) ? in.department() : r.getString(0)) + " "
                    + out.label("direction.short." + r.getString(1));
            Double sec = dbl(r, 4);
            out.chart(CHART_STEPS, step(r.getString(2), r.getString(3)), unit, sec == null ? 0.0 : sec / 3600.0);
        }
    }

}
