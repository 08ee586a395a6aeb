package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.generator.DemoDataGenerator;
import vn.customs.cw.generator.GeneratedData;
import vn.customs.cw.pipeline.Pipeline;
import vn.customs.cw.reports.RenderResult;
import vn.customs.cw.reports.ReportKind;
import vn.customs.cw.reports.ReportRequest;
import vn.customs.cw.reports.ReportService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./cw demo}: the whole path on generated data, in one JVM and one SparkSession: generate
 * (or reuse) landing files, backfill them into bronze/silver/gold, compute the release-time study,
 * render the leadership PDFs, and say where everything is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate demo data (2019–2021 by default), load it into the local warehouse, render Vietnamese PDFs.")
final class DemoCommand extends CwSubcommand {

    @Option(names = "--from", defaultValue = "2019-01-01", paramLabel = "DATE", description = "First day (default ${DEFAULT-VALUE}).")
    LocalDate from;

    @Option(names = "--to", defaultValue = "2021-12-31", paramLabel = "DATE", description = "Last day (default ${DEFAULT-VALUE}).")
    LocalDate to;

    @Option(names = "--scale", defaultValue = "0.25", paramLabel = "S",
            description = "Volume factor of the generator (default ${DEFAULT-VALUE}; 1 ≈ real departments).")
    double scale;

    @Option(names = "--fresh", description = "Delete the landing folder, warehouse and out/reports first.")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        // Demo volume is small: a year per batch gives fewer Spark jobs and commits than the
        // national-volume default (cw.etl.batch-days); an explicit --set still wins.
        parent.overrides.putIfAbsent("cw.etl.batch-days", "366");
        CwConfig cfg = config();
        long t0 = System.nanoTime();
        Path landing = Path.of(cfg.paths().landing());
        Path warehouse = Path.of(cfg.paths().warehouse());
        if (fresh) {
            deleteTree(landing);
            deleteTree(warehouse);
            deleteTree(cfg.paths().out().resolve("reports"));
            deleteTree(cfg.paths().locks());
        }

        var params = new DemoDataGenerator.Params(from, to, scale, cfg.generator().seed(), 0.0, landing,
                DemoDataGenerator.allDepartments(cfg));
        if (GeneratedData.matches(landing, params)) {
            System.out.println("demo: landing data for " + from + " .. " + to + " (scale " + scale + ") already in " + landing);
        } else {
            System.out.println("demo: generating landing data " + from + " .. " + to + " at scale " + scale + " into " + landing);
            deleteTree(landing);
            var s = new DemoDataGenerator(cfg, params).run();
            System.out.printf(Locale.ROOT, "demo: %,d rows generated in %.1f s%n", s.totalRows(), s.seconds());
        }

        List<RenderResult> pdfs = new ArrayList<>();
        int rc = EtlRun.run(cfg, "demo", from, to, ctx -> {
            Pipeline.Result r = Pipeline.run(ctx, PipelineStages.extra(cfg, false));
            ctx.warehouse().registerCatalog(ctx.spark());
            if (!r.failed()) {
                ReportService reports = new ReportService(ctx.spark(), cfg);
                Path dir = cfg.paths().out().resolve("reports").resolve("demo");
                for (DemoReport d : demoReports(cfg)) {
                    if (!d.fits(from, to)) continue;
                    Path file = dir.resolve(d.fileName());
                    pdfs.add(reports.render(new ReportRequest(d.kind(), d.department(), d.period(), d.campaign(),
                            d.lang(), file, null)));
                }
            }
            return r;
        });

        System.out.println();
        System.out.println("demo: warehouse (Delta tables bronze/silver/gold/ops): " + warehouse);
        System.out.println("demo: landing files:                                  " + landing);
        for (RenderResult r : pdfs) {
            System.out.println("demo: PDF " + r.pdf() + " (" + r.pages() + " pages)");
        }
        System.out.println("demo: try  ./cw trs --campaign QN-2020-1");
        System.out.println("demo:      ./cw sql \"SELECT * FROM gold.admin_dossiers_monthly WHERE NOT is_reported_consistent\"");
        System.out.printf(Locale.ROOT, "demo: done in %.0f s%s%n", (System.nanoTime() - t0) / 1e9,
                rc == 0 ? "" : " — with failures (see the run summary above and ops.run_log)");
        return rc;
    }

    /** One PDF of the demo set: the published-figure scenarios of DOMAIN.md. */
    record DemoReport(ReportKind kind, String department, String period, String campaign, String lang) {
        /** Only reports whose months were loaded: a shorter --from/--to range renders fewer PDFs. */
        boolean fits(LocalDate from, LocalDate to) {
            String[] ends = period.split("\\.\\.");
            LocalDate first = LocalDate.parse(ends[0].length() == 4 ? ends[0] + "-01-01" : ends[0] + "-01");
            String last = ends[ends.length - 1];
            LocalDate end = last.length() == 4 ? LocalDate.parse(last + "-12-31")
                    : LocalDate.parse(last + "-01").plusMonths(1).minusDays(1);
            return !first.isBefore(from) && !end.isAfter(to);
        }

        String fileName() {
            return kind.template() + "_" + department + "_" + (campaign != null ? campaign : period.replace("..", "_"))
                    + "_" + lang + ".pdf";
        }
    }

    static List<DemoReport> demoReports(CwConfig cfg) {
        return List.of(
                // Quảng Ninh to the end of Sept 2020 (seed 001): 48/52 tasks, dossiers, NSW/E-Manifest/C/O.
                new DemoReport(ReportKind.REFORM, "20", "2020-01..2020-09", null, "vi"),
                // Quảng Ninh's May 2020 measurement against 2019 (seed 003).
                new DemoReport(ReportKind.RELEASE_TIME, "20", "2020-05", "QN-2020-1", "vi"),
                new DemoReport(ReportKind.RELEASE_TIME, "20", "2020-05", "QN-2020-1", "en"),
                // Cao Bằng's October 2020 week at Tà Lùng (seed 002).
                new DemoReport(ReportKind.RELEASE_TIME, "11", "2020-10", "CB-2020-2", "vi"),
                // Hải Phòng's ratings in 2020 (seed 004).
                new DemoReport(ReportKind.SATISFACTION, "03", "2020", null, "vi"));
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }
}
