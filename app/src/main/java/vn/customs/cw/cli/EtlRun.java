package vn.customs.cw.cli;

import org.apache.spark.sql.SparkSession;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.ops.RunLock;
import vn.customs.cw.pipeline.Pipeline;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.Stage;
import vn.customs.cw.spark.Sparks;
import vn.customs.cw.spark.Warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Shared by nightly, backfill and maintain: lock, one SparkSession, the pipeline, the exit code. */
final class EtlRun {
    private EtlRun() {}

    static int run(CwConfig cfg, String command, LocalDate from, LocalDate to,
                   Function<RunContext, Pipeline.Result> body) {
        String runId = Pipeline.newRunId(command);
        try (RunLock lock = RunLock.acquire(cfg.paths().locks(), runId, command)) {
            SparkSession spark = Sparks.session(cfg);
            RunContext ctx = new RunContext(spark, cfg, new Warehouse(cfg.paths().warehouse()), runId, command, from, to, Set.of());
            Pipeline.Result r = body.apply(ctx);
            if (r.failed()) {
                System.err.println("cw " + command + ": error: " + r.reason());
                return 1;
            }
            return 0;
        }
    }

    static int pipeline(CwConfig cfg, String command, LocalDate from, LocalDate to, boolean withReports) {
        List<Stage> extra = PipelineStages.extra(cfg, withReports);
        return run(cfg, command, from, to, ctx -> Pipeline.run(ctx, extra));
    }
}
