package vn.customs.cw.gold;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.Stage;
import vn.customs.cw.pipeline.TableWrite;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.spark.Warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * Builds the gold marts of {@link GoldMarts} from silver. Monthly marts are partitioned by
 * {@code year}; a run recomputes the affected years and the year after each (whose prev_year_*
 * columns read them) and replaces exactly those partitions ({@code replaceWhere year IN (...)}),
 * so a re-run gives the same table and touches only those years. reform_tasks and
 * satisfaction_followup are small and current-state: fully overwritten each run. Marts are built
 * {@code cw.etl.parallel-marts} at a time (threads of the one session).
 *
 * <p>A mart whose silver input does not exist yet is skipped with a warning and reported with
 * version -1 (nothing committed); the other marts still run.
 */
public final class GoldMartsStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(GoldMartsStage.class);

    /** A silver input, read for the years a mart needs through its partition column (null: read whole). */
    record Input(String table, String yearColumn) {}

    /**
     * @param lookbackYears how many years before a recomputed year the inputs must cover: 1 for the
     *                      previous-year columns, plus 1 where a row's month can fall in a later year
     *                      than its partition (an NSW result arriving in January for a December dossier)
     */
    record Mart(String table, List<Input> inputs, int lookbackYears, boolean byYear,
                Function<List<Dataset<Row>>, Dataset<Row>> build) {}

    static final List<Mart> MARTS = List.of(
            new Mart(GoldMarts.DECLARATIONS_MONTHLY, List.of(new Input("declarations", "registration_year")), 1, true,
                    in -> GoldMarts.declarationsMonthly(in.get(0))),
            new Mart(GoldMarts.ENTERPRISE_ACTIVITY_MONTHLY, List.of(new Input("declarations", "registration_year")), 0, true,
                    in -> GoldMarts.enterpriseActivityMonthly(in.get(0))),
            new Mart(GoldMarts.NSW_MONTHLY, List.of(new Input("nsw_dossiers", "submitted_year")), 2, true,
                    in -> GoldMarts.nswMonthly(in.get(0))),
            new Mart(GoldMarts.EMANIFEST_MONTHLY, List.of(new Input("emanifest", "declared_year")), 1, true,
                    in -> GoldMarts.emanifestMonthly(in.get(0))),
            new Mart(GoldMarts.CO_MONTHLY, List.of(new Input("certificates_of_origin", "received_year")), 1, true,
                    in -> GoldMarts.coMonthly(in.get(0))),
            new Mart(GoldMarts.ADMIN_DOSSIERS_MONTHLY, List.of(new Input("admin_dossiers", "received_year"),
                    new Input("dossier_reports", "year")), 1, true,
                    in -> GoldMarts.adminDossiersMonthly(in.get(0), in.get(1))),
            new Mart(GoldMarts.REVENUE_MONTHLY, List.of(new Input("revenue", "year"),
                    new Input("revenue_targets", "target_year")), 1, true,
                    in -> GoldMarts.revenueMonthly(in.get(0), in.get(1))),
            new Mart(GoldMarts.SATISFACTION_MONTHLY, List.of(new Input("satisfaction_ratings", "rated_year")), 0, true,
                    in -> GoldMarts.satisfactionMonthly(in.get(0))),
            new Mart(GoldMarts.REFORM_TASKS, List.of(new Input("reform_tasks", null)), 0, false,
                    in -> GoldMarts.reformTasks(in.get(0))),
            new Mart(GoldMarts.SATISFACTION_FOLLOWUP, List.of(new Input("satisfaction_ratings", null)), 0, false,
                    in -> GoldMarts.satisfactionFollowup(in.get(0))));

    @Override
    public String name() {
        return "gold.marts";
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        SortedSet<Integer> years = yearsToRecompute(ctx.affectedYears());
        var raw = ctx.config().raw();
        int parallel = raw.hasPath("cw.etl.parallel-marts") ? raw.getInt("cw.etl.parallel-marts") : 1;
        if (parallel < 1) throw new IllegalArgumentException("cw.etl.parallel-marts must be >= 1, got " + parallel);
        List<TableWrite> writes = new ArrayList<>();
        if (parallel == 1) {
            for (Mart mart : MARTS) writes.add(runMart(ctx, mart, years));
            return writes;
        }
        // Marts write different tables from silver they only read: side by side, one mart's driver
        // work (plans, Delta commits) overlaps another's tasks. Threads made here inherit the
        // stage's Spark job description.
        ExecutorService pool = vn.customs.cw.pipeline.Pipeline.threads(Math.min(parallel, MARTS.size()), "cw-mart");
        try {
            List<Future<TableWrite>> futures = new ArrayList<>();
            for (Mart mart : MARTS) futures.add(pool.submit(() -> runMart(ctx, mart, years)));
            // Every mart finishes before the stage reports, even when one failed: no mart may still
            // be committing while the run log says the stage is over.
            Throwable failed = null;
            for (Future<TableWrite> f : futures) {
                try {
                    writes.add(f.get());
                } catch (ExecutionException e) {
                    if (failed == null) failed = e.getCause();
                }
            }
            if (failed instanceof RuntimeException re) throw re;
            if (failed != null) throw new IllegalStateException("a gold mart failed", failed);
            return writes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gold marts ran", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private TableWrite runMart(RunContext ctx, Mart mart, SortedSet<Integer> years) {
        SparkSession spark = ctx.spark();
        Warehouse wh = ctx.warehouse();
        String gold = Layer.GOLD.db() + "." + mart.table();
        Optional<String> missing = mart.inputs().stream().map(Input::table)
                .filter(t -> !wh.exists(spark, Layer.SILVER, t)).findFirst();
        if (missing.isPresent()) {
            LOG.warn("{}: skipped {}: its input silver.{} does not exist yet at {}", name(), gold,
                    missing.get(), wh.path(Layer.SILVER, missing.get()));
            return TableWrite.derived(gold, 0, -1);
        }
        if (mart.byYear() && years.isEmpty()) {
            LOG.info("{}: {} unchanged: no affected years in this run", name(), gold);
            return TableWrite.derived(gold, 0, -1);
        }
        SortedSet<Integer> readYears = new TreeSet<>();
        for (int y : years) {
            for (int k = 0; k <= mart.lookbackYears(); k++) readYears.add(y - k);
        }
        List<Dataset<Row>> inputs = new ArrayList<>();
        for (Input in : mart.inputs()) {
            Dataset<Row> df = wh.read(spark, Layer.SILVER, in.table());
            if (mart.byYear() && in.yearColumn() != null) {
                df = df.where(col(in.yearColumn()).isin(readYears.toArray()));
            }
            inputs.add(df);
        }
        Dataset<Row> out = mart.build().apply(inputs);
        String path = wh.path(Layer.GOLD, mart.table());
        if (mart.byYear()) {
            out.where(col("year").isin(years.toArray()))
                    .write().format("delta").mode("overwrite")
                    // replaceWhere, not dynamic partition overwrite: a year that lost all its
                    // rows must be emptied too, and the session may default to dynamic.
                    .option("partitionOverwriteMode", "static")
                    .option("replaceWhere", yearPredicate(years))
                    .partitionBy("year")
                    .save(path);
        } else {
            out.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
        }
        long version = wh.version(spark, Layer.GOLD, mart.table());
        long rows = committedRows(spark, path, version);
        LOG.info("{}: wrote {} ({} rows, years {}, version {})", name(), gold, rows,
                mart.byYear() ? years : "all", version);
        return mart.byYear() ? TableWrite.derived(gold, rows, version).scoped(yearPredicate(years))
                : TableWrite.derived(gold, rows, version);
    }

    /** The affected years and the year after each (its prev_year_* columns read them). */
    static SortedSet<Integer> yearsToRecompute(java.util.Set<Integer> affected) {
        SortedSet<Integer> years = new TreeSet<>();
        for (int y : affected) {
            years.add(y);
            years.add(y + 1);
        }
        return years;
    }

    static String yearPredicate(SortedSet<Integer> years) {
        return "year IN (" + years.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    /** Rows written by the commit {@code version}, from its commit info (no second pass over the data). */
    private static long committedRows(SparkSession spark, String path, long version) {
        return Tables.commitInfo(spark, path, version)
                .filter(ci -> ci.operationMetrics().isDefined())
                .map(ci -> ci.operationMetrics().get().get("numOutputRows"))
                .filter(scala.Option::isDefined)
                .map(n -> Long.parseLong(n.get()))
                .orElse(0L);
    }
}
