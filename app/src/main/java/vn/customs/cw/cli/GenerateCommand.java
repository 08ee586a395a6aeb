package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.generator.DemoDataGenerator;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** {@code ./cw generate}: deterministic demo landing files for every source. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate demo landing files (every source, one file per source and day) for a range of days.")
final class GenerateCommand extends CwSubcommand {

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First landing day (yyyy-mm-dd).")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last landing day (yyyy-mm-dd); later events are not written.")
    LocalDate to;

    @Option(names = "--scale", defaultValue = "1", paramLabel = "S",
            description = "Volume factor: 1 ≈ the real departments (Quảng Ninh ≈ 60k declarations/year); 68.5 ≈ national volume. Default ${DEFAULT-VALUE}.")
    double scale;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default cw.generator.seed).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Landing folder to write (default cw.paths.landing).")
    Path out;

    @Option(names = "--bad-share", paramLabel = "F", description = "Share of records planted as bad records (default cw.generator.bad-record-share).")
    Double badShare;

    @Option(names = "--departments", split = ",", paramLabel = "CODES",
            description = "Departments to generate, e.g. 20,03 (default: all of cw.generator.declarations-per-year).")
    List<String> departments;

    @Option(names = "--number-block", defaultValue = "0", paramLabel = "B",
            description = "0 or 1: declaration numbers of block 1 never meet those of block 0 (their department digit is "
                    + "5 higher), for days generated again on top of a warehouse at another scale, as ./cw bench --night does. "
                    + "Default ${DEFAULT-VALUE}.")
    int numberBlock;

    @Override
    public Integer call() {
        CwConfig cfg = config();
        Path dir = out != null ? out.toAbsolutePath() : Path.of(cfg.paths().landing());
        var params = new DemoDataGenerator.Params(from, to, scale,
                seed != null ? seed : cfg.generator().seed(),
                badShare != null ? badShare : cfg.generator().badRecordShare(), dir,
                departments != null ? departments : DemoDataGenerator.allDepartments(cfg), numberBlock);
        var s = new DemoDataGenerator(cfg, params).run();
        System.out.printf(Locale.ROOT, "generated %s .. %s, scale %s, seed %d, bad share %s into %s%n",
                from, to, scale, params.seed(), params.badShare(), dir);
        for (Source src : Source.values()) {
            System.out.printf(Locale.ROOT, "  %-24s %,14d rows%n", src.folder(), s.rows().getOrDefault(src, 0L));
        }
        if (!s.badRecords().isEmpty()) {
            System.out.printf(Locale.ROOT, "  bad records: %s (listed in _manifest/bad_records.csv)%n", s.badRecords());
        }
        System.out.printf(Locale.ROOT, "  total %,d rows in %.1f s (%,.0f rows/s)%n", s.totalRows(), s.seconds(),
                s.totalRows() / Math.max(s.seconds(), 1e-3));
        return 0;
    }
}
