package vn.customs.cw.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.reports.Formats;
import vn.customs.cw.reports.Period;
import vn.customs.cw.reports.RenderResult;
import vn.customs.cw.reports.ReportKind;
import vn.customs.cw.reports.ReportRequest;
import vn.customs.cw.reports.ReportService;
import vn.customs.cw.spark.Sparks;

import java.nio.file.Path;

/** {@code ./cw report reform|release-time|satisfaction ...}: one leadership PDF report. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render a leadership PDF report (Vietnamese by default) from the gold tables, "
                + "with a JSON sidecar <file>.json of the parameters and table versions read.")
public final class ReportCommand extends CwSubcommand {

    @Parameters(index = "0", paramLabel = "REPORT", description = "reform, release-time or satisfaction")
    String report;

    @Option(names = "--department", required = true, paramLabel = "CODE", description = "Department code, e.g. 20 (Quảng Ninh).")
    String department;

    @Option(names = "--period", required = true, paramLabel = "P",
            description = "2020 (year), 2020-05 (month) or 2020-01..2020-09 (months of one year).")
    String period;

    @Option(names = "--campaign", paramLabel = "ID", description = "Release-time campaign id (release-time only), e.g. QN-2020-1.")
    String campaign;

    @Option(names = "--lang", paramLabel = "vi|en", description = "Language (default: cw.reports.default-language).")
    String lang;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "PDF file to write.")
    Path out;

    @Option(names = "--as-of-run", paramLabel = "RUN_ID",
            description = "Regenerate from the table versions that run recorded in ops.run_log.")
    String asOfRun;

    @Override
    public Integer call() {
        CwConfig cfg = config();
        // Cheap checks first, before a SparkSession is started.
        ReportKind kind = ReportKind.parse(report);
        Period.parse(period);
        Formats.of(lang == null ? cfg.reports().defaultLanguage() : lang);
        SparkSession spark = Sparks.session(cfg);
        RenderResult r = new ReportService(spark, cfg)
                .render(new ReportRequest(kind, department, period, campaign, lang, out, asOfRun));
        System.out.println("wrote " + r.pdf() + " (" + r.pages() + " pages) and " + r.sidecar().getFileName()
                + "; tables " + r.tableVersions());
        return 0;
    }
}
