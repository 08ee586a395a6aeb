package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Load a range of landing days in one application, many days per Spark job (cw.etl.batch-days).")
final class BackfillCommand extends CwSubcommand {
    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD") LocalDate from;
    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD") LocalDate to;
    @Option(names = "--reports", description = "Also render the standard reports (year to date through --to).")
    boolean reports;

    @Override
    public Integer call() {
        if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        return EtlRun.pipeline(config(), "backfill", from, to, reports);
    }
}
