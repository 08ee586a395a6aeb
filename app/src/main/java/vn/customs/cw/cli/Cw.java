package vn.customs.cw.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.config.CwConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./cw}: the one entry point for every job, locally and under spark-submit. */
@Command(name = "cw", mixinStandardHelpOptions = true, version = "customs-warehouse 0.1.0",
        description = "Customs clearance and administrative-reform warehouse: ETL, release-time study, reports.",
        footer = {"", "Launcher commands (handled by ./cw itself):",
                "  test        run every test (JUnit, demo smoke + notebooks, Airflow DAGs, cluster, JDBC)",
                "  setup       install the system tools the tests need (poppler-utils)",
                "  notebooks   setup | open [WAREHOUSE] | run [WAREHOUSE]: the analysts' Jupyter environment"},
        subcommands = {
                DemoCommand.class,
                BenchCommand.class,
                GenerateCommand.class,
                NightlyCommand.class,
                BackfillCommand.class,
                TrsCommand.class,
                ReportCommand.class,
                SqlCommand.class,
                SqlServerCommand.class,
                ServeCommand.class,
                MaintainCommand.class,
                UnlockCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Cw implements Runnable {

    @Option(names = "--profile", description = "Configuration profile in conf/profiles (default: $CW_PROFILE or local).")
    String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set cw.paths.warehouse=/tmp/wh (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    private CwConfig config;

    /** The configuration, loaded once per process. */
    public CwConfig config() {
        if (config == null) {
            String p = profile != null ? profile : System.getenv().getOrDefault(CwConfig.ENV_PROFILE, "local");
            config = CwConfig.load(CwConfig.defaultHome(), p, overrides);
        }
        return config;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Cw());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // One line a scheduler can show; the stack trace goes to stderr only when asked.
            System.err.println("cw " + cmd.getCommandName() + ": error: " + rootMessage(ex));
            if (System.getenv("CW_DEBUG") != null) ex.printStackTrace();
            return 1;
        });
        return cl.execute(args);
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) c = c.getCause();
        return c.getClass().getSimpleName().equals("IllegalArgumentException")
                || c.getClass().getSimpleName().equals("IllegalStateException")
                ? c.getMessage() : c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
