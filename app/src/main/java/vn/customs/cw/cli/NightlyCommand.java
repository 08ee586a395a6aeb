package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = "Load one landing day: bronze, quarantine, silver, data checks, then the gold and report stages.")
final class NightlyCommand extends CwSubcommand {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Landing day to load.")
    LocalDate date;

    @Option(names = "--no-reports", description = "Skip the standard reports (tables only).")
    boolean noReports;

    @Override
    public Integer call() {
        return EtlRun.pipeline(config(), "nightly", date, date, !noReports);
    }
}
