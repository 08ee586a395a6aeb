package vn.customs.cw.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Sparks;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.trs.Campaigns;
import vn.customs.cw.trs.Durations;
import vn.customs.cw.trs.ReleaseTimeFacts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;

/**
 * {@code ./cw trs --campaign ID} and {@code ./cw trs --department CODE --period 2020-05|2020}: the
 * release-time result table (per office and the department, imports and exports), then the offices
 * left out and the unfinished count. Reads the gold tables; a campaign not yet in gold is computed
 * from gold.release_time_facts/intervals (or silver) in memory, without writing.
 */
@Command(name = "trs", mixinStandardHelpOptions = true,
        description = "Release time (WCO Time Release Study): a campaign's or a period's results.")
public final class TrsCommand extends CwSubcommand {

    @Option(names = "--campaign", description = "Campaign id from cw.trs.campaigns, e.g. QN-2020-1.")
    String campaign;

    @Option(names = "--department", description = "Department code, e.g. 20 (continuous mode).")
    String department;

    @Option(names = "--period", description = "yyyy-MM or yyyy (continuous mode).")
    String period;

    private static final Pattern PERIOD = Pattern.compile("(\\d{4})(?:-(0[1-9]|1[0-2]))?");

    /** One line of the result table, whichever mode produced it. */
    record Line(String office, String direction, long declarations, long finished, long unfinished, long cancelled,
                Double mean, Double median, Double p90, Long min, Long max, Double customsShare,
                Double change, Double changePct, Boolean meetsTarget, Integer rank, String bottleneck) {}

    @Override
    public Integer call() {
        CwConfig cfg = config();
        boolean campaignMode = campaign != null;
        if (campaignMode == (department != null || period != null)) {
            throw new IllegalArgumentException("give either --campaign ID or --department CODE --period yyyy[-MM]");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (campaignMode) {
            CwConfig.Campaign c = cfg.trs().campaign(campaign); // unknown id -> IllegalArgumentException listing ids
            SparkSession spark = Sparks.session(cfg);
            printCampaign(spark, cfg, new Warehouse(cfg.paths().warehouse()), c, out);
        } else {
            if (department == null || period == null) {
                throw new IllegalArgumentException("--department and --period go together, got department="
                        + department + " period=" + period);
            }
            Matcher m = PERIOD.matcher(period);
            if (!m.matches()) {
                throw new IllegalArgumentException("--period must be yyyy-MM or yyyy, got '" + period + "'");
            }
            List<String> departments = knownDepartments(cfg);
            if (!departments.contains(department)) {
                throw new IllegalArgumentException("unknown department '" + department + "'; known: " + departments);
            }
            SparkSession spark = Sparks.session(cfg);
            printPeriod(spark, cfg, new Warehouse(cfg.paths().warehouse()), department, m.group(1),
                    m.group(2), out);
        }
        return 0;
    }

    static List<String> knownDepartments(CwConfig cfg) {
        Path csv = cfg.paths().reference().resolve("departments.csv");
        try {
            return Files.readAllLines(csv, StandardCharsets.UTF_8).stream().skip(1).filter(l -> !l.isBlank())
                    .map(l -> l.split(",", 2)[0].trim()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    void printCampaign(SparkSession spark, CwConfig cfg, Warehouse wh, CwConfig.Campaign c, PrintStream out) {
        Dataset<Row> summary, excluded, unfinished;
        // What this method caches, released when it returns (the command may print several campaigns).
        List<Dataset<Row>> cached = new java.util.ArrayList<>();
        Campaigns.Result computed = null;
        if (wh.exists(spark, Layer.GOLD, "trs_campaign_summary")
                && !wh.read(spark, Layer.GOLD, "trs_campaign_summary").filter(col("campaign_id").equalTo(c.id())).isEmpty()) {
            summary = wh.read(spark, Layer.GOLD, "trs_campaign_summary");
            excluded = wh.read(spark, Layer.GOLD, "trs_excluded_units");
            unfinished = wh.read(spark, Layer.GOLD, "trs_unfinished");
        } else {
            Dataset<Row> facts, intervals;
            if (wh.exists(spark, Layer.GOLD, "release_time_facts")) {
                facts = wh.read(spark, Layer.GOLD, "release_time_facts");
                intervals = wh.read(spark, Layer.GOLD, "release_time_intervals");
            } else if (wh.exists(spark, Layer.SILVER, "declarations")) {
                Dataset<Row> d = wh.read(spark, Layer.SILVER, "declarations");
                Dataset<Row> m = wh.read(spark, Layer.SILVER, "declaration_milestones");
                intervals = ReleaseTimeFacts.intervals(d, m).cache();
                cached.add(intervals);
                facts = ReleaseTimeFacts.facts(d, m, intervals);
            } else {
                throw new IllegalStateException("no release-time data in " + wh.root()
                        + ": load the declarations first (./cw run ...)");
            }
            Campaigns.Result r = Campaigns.compute(spark, cfg.trs(), Campaigns.withPrevious(cfg.trs(), List.of(c)),
                    facts, intervals, wh.read(spark, Layer.SILVER, "ref_calendar"), wh.read(spark, Layer.SILVER, "ref_offices"));
            computed = r;
            summary = r.summary();
            excluded = r.excluded();
            unfinished = r.unfinished();
        }
        try {
            print(c, summary, excluded, unfinished, out);
        } finally {
            if (computed != null) computed.release();
            cached.forEach(Dataset::unpersist);
        }
    }

    private void print(CwConfig.Campaign c, Dataset<Row> summary, Dataset<Row> excluded, Dataset<Row> unfinished, PrintStream out) {
        List<Row> rows = summary.filter(col("campaign_id").equalTo(c.id())).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalStateException("campaign " + c.id() + " measured no declaration (department "
                    + c.department() + ", week from " + c.start() + ")");
        }
        Row first = rows.get(0);
        out.printf("Đo thời gian giải phóng hàng — campaign %s, department %s%n", c.id(), c.department());
        out.printf("Week %s … %s, follow-up cut-off %s, previous campaign %s%n", first.getAs("week_start"),
                first.getAs("week_end"), first.getAs("follow_up_cutoff"), c.previous() == null ? "—" : c.previous());
        List<Line> lines = rows.stream().map(r -> new Line(r.getAs("office_code"), r.getAs("direction"),
                r.<Long>getAs("declarations"), r.<Long>getAs("finished"), r.<Long>getAs("unfinished"),
                r.<Long>getAs("cancelled"), r.getAs("mean_seconds"), r.getAs("median_seconds"), r.getAs("p90_seconds"),
                r.getAs("min_seconds"), r.getAs("max_seconds"), r.getAs("customs_share"), r.getAs("change_seconds"),
                r.getAs("change_pct"), r.getAs("meets_target"), r.getAs("rank"),
                r.getAs("bottleneck_from") == null ? null : r.getAs("bottleneck_from") + "→" + r.getAs("bottleneck_to")
                        + " " + r.getAs("bottleneck_party") + " " + Durations.share(r.<Double>getAs("bottleneck_share"), false)))
                .toList();
        printTable(lines, out);
        List<Row> ex = excluded.filter(col("campaign_id").equalTo(c.id())).orderBy("office_code").collectAsList();
        out.println("Left out: " + (ex.isEmpty() ? "none" : ex.stream()
                .map(r -> r.getAs("office_code") + " (" + r.getAs("reason_code") + ": " + r.getAs("reason") + ")")
                .collect(Collectors.joining(", "))));
        out.println("Unfinished at the cut-off: " + unfinished.filter(col("campaign_id").equalTo(c.id())).count());
    }

    void printPeriod(SparkSession spark, CwConfig cfg, Warehouse wh, String dept, String year, String month,
                     PrintStream out) {
        if (!wh.exists(spark, Layer.GOLD, "release_time_monthly")) {
            throw new IllegalStateException("gold.release_time_monthly does not exist in " + wh.root()
                    + ": run the pipeline first");
        }
        String p = month == null ? year : year + "-" + month;
        List<Row> rows = wh.read(spark, Layer.GOLD, "release_time_monthly")
                .filter(col("department_code").equalTo(dept).and(col("period").equalTo(p))
                        .and(col("period_type").equalTo(month == null ? "YEAR" : "MONTH")).and(col("channel").equalTo("ALL")))
                .collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no release-time data for department " + dept + " in " + p);
        }
        // Bottleneck of the period: the interval with the largest share of the measured time.
        Dataset<Row> facts = wh.read(spark, Layer.GOLD, "release_time_facts")
                .filter(col("department_code").equalTo(dept).and(col("registration_year").equalTo(Integer.parseInt(year))))
                .filter(month == null ? lit(true) : col("registration_month").equalTo(Integer.parseInt(month)))
                .filter(col("is_finished")).select("declaration_no");
        Dataset<Row> iv = wh.read(spark, Layer.GOLD, "release_time_intervals")
                .filter(col("department_code").equalTo(dept).and(col("registration_year").equalTo(Integer.parseInt(year)))
                        .and(col("is_in_release_time")))
                .join(facts, "declaration_no")
                .withColumn("office_code", explode(array(col("office_code"), lit("ALL"))));
        List<Row> bottlenecks = iv.groupBy("office_code", "direction", "from_milestone", "to_milestone", "party")
                .agg(sum("seconds").as("s"))
                .withColumn("share", col("s").divide(sum("s").over(Window.partitionBy("office_code", "direction"))))
                .withColumn("r", row_number().over(Window.partitionBy("office_code", "direction").orderBy(col("share").desc())))
                .filter(col("r").equalTo(1)).collectAsList();
        CwConfig.Targets t = cfg.trs().targets();
        List<Line> lines = new ArrayList<>();
        for (Row r : rows) {
            String office = r.getAs("office_code"), dir = r.getAs("direction");
            Double mean = r.getAs("mean_seconds");
            double target = (dir.equals("IMPORT") ? t.importHours() : t.exportHours()) * 3600;
            Integer rank = null;
            if (!office.equals("ALL") && mean != null) {
                rank = 1 + (int) rows.stream().filter(o -> !o.getAs("office_code").equals("ALL")
                        && o.getAs("direction").equals(dir) && o.getAs("mean_seconds") != null
                        && o.<Double>getAs("mean_seconds") < mean).count();
            }
            String bottleneck = bottlenecks.stream().filter(b -> b.getAs("office_code").equals(office)
                            && b.getAs("direction").equals(dir)).findFirst()
                    .map(b -> b.getAs("from_milestone") + "→" + b.getAs("to_milestone") + " " + b.getAs("party") + " "
                            + Durations.share(b.<Double>getAs("share"), false)).orElse(null);
            lines.add(new Line(office, dir, r.<Long>getAs("declarations"), r.<Long>getAs("finished"),
                    r.<Long>getAs("unfinished"), r.<Long>getAs("cancelled"), mean, r.getAs("median_seconds"),
                    r.getAs("p90_seconds"), r.getAs("min_seconds"), r.getAs("max_seconds"), r.getAs("customs_share"),
                    r.getAs("change_seconds"), r.getAs("change_pct"), mean == null ? null : mean < target, rank, bottleneck));
        }
        out.printf("Thời gian giải phóng hàng — department %s, %s (continuous; previous = same period a year earlier)%n",
                dept, p);
        printTable(lines, out);
        out.println("Left out: none (continuous mode measures every declaration)");
        out.println("Unfinished (not yet released): " + lines.stream().filter(l -> l.office().equals("ALL"))
                .mapToLong(Line::unfinished).sum());
    }

    static void printTable(List<Line> lines, PrintStream out) {
        for (String dir : List.of("IMPORT", "EXPORT")) {
            List<Line> ls = lines.stream().filter(l -> l.direction().equals(dir))
                    .sorted(Comparator.comparing((Line l) -> l.office().equals("ALL"))
                            .thenComparing(l -> l.rank() == null ? Integer.MAX_VALUE : l.rank())
                            .thenComparing(Line::office)).toList();
            out.println();
            out.println(dir.equals("IMPORT") ? "Nhập khẩu (imports)" : "Xuất khẩu (exports)");
            out.printf("%-6s %6s %6s %6s %10s %10s %10s %10s %10s %7s %-22s %-6s %4s %s%n", "office", "decl", "fin",
                    "unfin", "mean", "median", "p90", "min", "max", "customs", "change vs previous", "target", "rank",
                    "bottleneck");
            if (ls.isEmpty()) out.println("(no declarations)");
            for (Line l : ls) {
                String change = l.change() == null ? "—" : Durations.signedHms(l.change())
                        + (l.changePct() == null ? "" : " (" + Durations.signedPercent(l.changePct(), false) + ")");
                out.printf("%-6s %6d %6d %6d %10s %10s %10s %10s %10s %7s %-22s %-6s %4s %s%n", l.office(),
                        l.declarations(), l.finished(), l.unfinished(), hms(l.mean()), hms(l.median()), hms(l.p90()),
                        l.min() == null ? "—" : Durations.hms(l.min()), l.max() == null ? "—" : Durations.hms(l.max()),
                        l.customsShare() == null ? "—" : Durations.share(l.customsShare(), false), change,
                        l.meetsTarget() == null ? "—" : l.meetsTarget() ? "yes" : "no",
                        l.rank() == null ? "" : l.rank().toString(), l.bottleneck() == null ? "" : l.bottleneck());
            }
        }
    }

    private static String hms(Double s) {
        return s == null ? "—" : Durations.hms(s);
    }

}
