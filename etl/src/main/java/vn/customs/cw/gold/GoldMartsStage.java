package vn.customs.cw.gold;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.Stage;
import vn.customs.cw.pipeline.TableWrite;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.spark.Warehouse;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Builds the gold marts of {@link GoldMarts} from silver. Monthly marts are partitioned by
 * {@code year}. A long run (a backfill) recomputes the affected years and the year after each
 * (whose prev_year_* columns read them) and replaces exactly those partitions ({@code replaceWhere
 * year IN (...)}). A short run ({@link RunContext#isShortRun()}, a night) recomputes only the months
 * its inputs changed since the mart last read them, and the same months a year later: each commit of
 * a monthly mart records the silver versions it read ({@link #WATERMARK}, in the commit's user
 * metadata), and the inputs' change feed between those versions and now names every month a row
 * entered or left ({@code cw.etl.month-marts}). Either way a re-run gives the same table. Without a
 * recorded version or a readable change feed (a table built before this, a feed vacuumed away) the
 * short run falls back to whole years. reform_tasks and satisfaction_followup are small and
 * current-state: fully overwritten each run. Marts are built {@code cw.etl.parallel-marts} at a time
 * (threads of the one session).
 *
 * <p>A mart whose silver input does not exist yet is skipped with a warning and reported with
 * version -1 (nothing committed); the other marts still run.
 */
public final class GoldMartsStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(GoldMartsStage.class);

    /**
     * A silver input, read for the years a mart needs through its partition column (null: read
     * whole), and where its rows fall in the mart's months (empty for a mart that is not monthly).
     */
    record Input(String table, String yearColumn, List<MonthOf> months) {
        Input(String table, String yearColumn, MonthOf... months) {
            this(table, yearColumn, List.of(months));
        }
    }

    /**
     * The mart month a row of an input counts in, as the mart computes it: the year column (or the
     * year of {@code time}) and the month of {@code time}; or year and month columns; or a year only
     * ({@code month} and {@code time} null), which counts in every month of that year (a yearly
     * target beside each month's revenue).
     */
    record MonthOf(String year, String time, String month) {
        static MonthOf at(String yearColumn, String time) { return new MonthOf(yearColumn, time, null); }
        static MonthOf columns(String year, String month) { return new MonthOf(year, null, month); }
        static MonthOf yearly(String year) { return new MonthOf(year, null, null); }

        Column yearOf() {
            return year != null ? col(year) : org.apache.spark.sql.functions.year(col(time));
        }

        /** The month, or 0 for a yearly input (every month of the year). */
        Column monthOf() {
            return time != null ? org.apache.spark.sql.functions.month(col(time)) : month != null ? col(month) : lit(0);
        }

        /**
         * True for the rows that fall in {@code months}. A time column is compared with the months'
         * bounds (in the session's time zone, as {@code month()} reads it), so Delta skips the files
         * whose min/max of it miss them: silver files clustered by a number that follows time hold a
         * month or two each.
         */
        Column in(SortedSet<YearMonth> months, DataType timeType) {
            Column any = lit(false);
            if (time != null) {
                YearMonth start = null, end = null;
                for (YearMonth m : months) {
                    if (end != null && m.equals(end)) { end = m.plusMonths(1); continue; }
                    if (start != null) any = any.or(range(start, end, timeType));
                    start = m;
                    end = m.plusMonths(1);
                }
                if (start != null) any = any.or(range(start, end, timeType));
                return any;
            }
            for (var e : byYear(months).entrySet()) {
                Column y = col(year).equalTo(e.getKey());
                any = any.or(month == null ? y : y.and(col(month).isin(e.getValue().toArray())));
            }
            return any;
        }

        private Column range(YearMonth start, YearMonth end, DataType timeType) {
            return col(time).geq(lit(start.atDay(1).toString()).cast(timeType))
                    .and(col(time).lt(lit(end.atDay(1).toString()).cast(timeType)));
        }
    }

    /**
     * @param lookbackYears how many years before a recomputed year the inputs must cover: 1 for the
     *                      previous-year columns, plus 1 where a row's month can fall in a later year
     *                      than its partition (an NSW result arriving in January for a December dossier)
     */
    record Mart(String table, List<Input> inputs, int lookbackYears, boolean byYear,
                Function<List<Dataset<Row>>, Dataset<Row>> build) {}

    static final List<Mart> MARTS = List.of(
            new Mart(GoldMarts.DECLARATIONS_MONTHLY, List.of(new Input("declarations", "registration_year",
                    MonthOf.at("registration_year", "registration_date"))), 1, true,
                    in -> GoldMarts.declarationsMonthly(in.get(0))),
            new Mart(GoldMarts.ENTERPRISE_ACTIVITY_MONTHLY, List.of(new Input("declarations", "registration_year",
                    MonthOf.at("registration_year", "registration_date"))), 0, true,
                    in -> GoldMarts.enterpriseActivityMonthly(in.get(0))),
            // Submissions count in the month submitted, results in the month answered: both months.
            new Mart(GoldMarts.NSW_MONTHLY, List.of(new Input("nsw_dossiers", "submitted_year",
                    MonthOf.at(null, "submitted_at"), MonthOf.at(null, "result_at"))), 2, true,
                    in -> GoldMarts.nswMonthly(in.get(0))),
            new Mart(GoldMarts.EMANIFEST_MONTHLY, List.of(new Input("emanifest", "declared_year",
                    MonthOf.at("declared_year", "declared_at"))), 1, true,
                    in -> GoldMarts.emanifestMonthly(in.get(0))),
            new Mart(GoldMarts.CO_MONTHLY, List.of(new Input("certificates_of_origin", "received_year",
                    MonthOf.at("received_year", "received_at"))), 1, true,
                    in -> GoldMarts.coMonthly(in.get(0))),
            new Mart(GoldMarts.ADMIN_DOSSIERS_MONTHLY, List.of(
                    new Input("admin_dossiers", "received_year", MonthOf.at("received_year", "received_at")),
                    new Input("dossier_reports", "year", MonthOf.columns("year", "month"))), 1, true,
                    in -> GoldMarts.adminDossiersMonthly(in.get(0), in.get(1))),
            new Mart(GoldMarts.REVENUE_MONTHLY, List.of(
                    new Input("revenue", "year", MonthOf.columns("year", "month")),
                    new Input("revenue_targets", "target_year", MonthOf.yearly("target_year"))), 1, true,
                    in -> GoldMarts.revenueMonthly(in.get(0), in.get(1))),
            new Mart(GoldMarts.SATISFACTION_MONTHLY, List.of(new Input("satisfaction_ratings", "rated_year",
                    MonthOf.at("rated_year", "rated_at"))), 0, true,
                    in -> GoldMarts.satisfactionMonthly(in.get(0))),
            new Mart(GoldMarts.REFORM_TASKS, List.of(new Input("reform_tasks", null)), 0, false,
                    in -> GoldMarts.reformTasks(in.get(0))),
            new Mart(GoldMarts.SATISFACTION_FOLLOWUP, List.of(new Input("satisfaction_ratings", null)), 0, false,
                    in -> GoldMarts.satisfactionFollowup(in.get(0))));

    /**
     * The prefix of a monthly mart's commit metadata: the silver versions that commit read,
     * {@code cw-gold-inputs: declarations@41} (several inputs comma-separated).
     */
    static final String WATERMARK = "cw-gold-inputs:";

    /** How far back through a mart's commits (OPTIMIZE, VACUUM, ...) its last recorded inputs are looked for. */
    private static final int WATERMARK_LOOKBACK = 100;

    /** The silver tables whose change feed the monthly marts read: their loads record it. */
    public static Set<String> changeFeedInputs() {
        Set<String> out = new TreeSet<>();
        for (Mart m : MARTS) {
            for (Input in : m.inputs()) if (m.byYear() && !in.months().isEmpty()) out.add(in.table());
        }
        return out;
    }

    /** {@code cw.etl.month-marts} (default true): short runs recompute the changed months of the monthly marts. */
    public static boolean monthMarts(vn.customs.cw.config.CwConfig config) {
        var raw = config.raw();
        return !raw.hasPath("cw.etl.month-marts") || raw.getBoolean("cw.etl.month-marts");
    }

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
        String path = wh.path(Layer.GOLD, mart.table());
        // Every input read at one version, the one the commit records: a load committing meanwhile
        // is seen by the next run, never half by this one.
        Map<String, Long> versions = new LinkedHashMap<>();
        for (Input in : mart.inputs()) versions.put(in.table(), wh.version(spark, Layer.SILVER, in.table()));

        if (mart.byYear() && wh.exists(spark, Layer.GOLD, mart.table())) {
            // Only the plan is built here (no Spark job): its columns against the table's.
            List<Dataset<Row>> whole = new ArrayList<>();
            for (Input in : mart.inputs()) whole.add(wh.readAsOf(spark, Layer.SILVER, in.table(), versions.get(in.table())));
            Dataset<Row> all = mart.build().apply(whole);
            List<String> have = Tables.columnTypes(wh.read(spark, Layer.GOLD, mart.table()).schema());
            if (!have.equals(Tables.columnTypes(all.schema()))) {
                // A release that changed the mart's columns: Delta refuses rows of another schema under
                // replaceWhere, and the years a run does not touch would keep the old columns. Every
                // year is recomputed from the same input versions, once, whatever changed in the inputs;
                // the next run is incremental again.
                LOG.info("{}: {} has the columns {}, this release writes {}: rebuilt whole", name(), gold, have, Tables.columnTypes(all.schema()));
                all.write().format("delta").mode("overwrite")
                        .option("partitionOverwriteMode", "static") // the session's dynamic mode refuses overwriteSchema
                        .option("overwriteSchema", "true")
                        .option("userMetadata", watermarkText(versions))
                        .partitionBy("year")
                        .save(path);
                long version = wh.version(spark, Layer.GOLD, mart.table());
                return TableWrite.derived(gold, committedRows(spark, path, version), version);
            }
        }

        SortedSet<YearMonth> changed = mart.byYear() && monthMarts(ctx.config()) && ctx.isShortRun()
                ? changedMonths(ctx, mart, path, versions) : null;
        if (changed != null && changed.isEmpty()) {
            LOG.info("{}: {} unchanged: its inputs changed no month since it last read them", name(), gold);
            return TableWrite.derived(gold, 0, -1);
        }
        if (changed == null && mart.byYear() && years.isEmpty()) {
            LOG.info("{}: {} unchanged: no affected years in this run", name(), gold);
            return TableWrite.derived(gold, 0, -1);
        }
        SortedSet<YearMonth> months = changed == null ? null : recomputedMonths(changed, mart.lookbackYears());
        SortedSet<Integer> scopeYears = months == null ? years : yearsOf(months);
        SortedSet<Integer> readYears = new TreeSet<>();
        for (int y : scopeYears) {
            for (int k = 0; k <= mart.lookbackYears(); k++) readYears.add(y - k);
        }
        // A month's previous-year figures read the same month a year earlier.
        SortedSet<YearMonth> readMonths = months == null ? null : new TreeSet<>(months);
        if (readMonths != null && mart.lookbackYears() > 0) months.forEach(m -> readMonths.add(m.minusYears(1)));
        List<Dataset<Row>> inputs = new ArrayList<>();
        for (Input in : mart.inputs()) {
            Dataset<Row> df = wh.readAsOf(spark, Layer.SILVER, in.table(), versions.get(in.table()));
            if (mart.byYear() && in.yearColumn() != null) {
                df = df.where(col(in.yearColumn()).isin(readYears.toArray()));
            }
            if (readMonths != null) {
                Column any = lit(false);
                for (MonthOf m : in.months()) {
                    any = any.or(m.in(readMonths, m.time() == null ? null : df.schema().apply(m.time()).dataType()));
                }
                df = df.where(any);
            }
            inputs.add(df);
        }
        Dataset<Row> out = mart.build().apply(inputs);
        String scope = months != null ? monthsPredicate(months) : yearPredicate(years);
        if (mart.byYear()) {
            out.where(scope)
                    .write().format("delta").mode("overwrite")
                    // replaceWhere, not dynamic partition overwrite: a year or month that lost all its
                    // rows must be emptied too, and the session may default to dynamic.
                    .option("partitionOverwriteMode", "static")
                    .option("replaceWhere", scope)
                    .option("userMetadata", watermarkText(versions))
                    .partitionBy("year")
                    .save(path);
        } else {
            out.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
        }
        long version = wh.version(spark, Layer.GOLD, mart.table());
        long rows = committedRows(spark, path, version);
        LOG.info("{}: wrote {} ({} rows, {}, version {})", name(), gold, rows,
                mart.byYear() ? scope : "all", version);
        return mart.byYear() ? TableWrite.derived(gold, rows, version).scoped(scope)
                : TableWrite.derived(gold, rows, version);
    }

    /**
     * The months whose rows the inputs' changes since the mart's last recorded read touch, old and
     * new values both (an update's pre-image names the month a row left); empty when nothing
     * changed; null when that cannot be known (no recorded read, an input without its change feed
     * over the range, a table replaced since): then the run recomputes whole years.
     */
    static SortedSet<YearMonth> changedMonths(RunContext ctx, Mart mart, String path, Map<String, Long> versions) {
        SparkSession spark = ctx.spark();
        Optional<Map<String, Long>> read = lastRead(spark, path);
        if (read.isEmpty() || !read.get().keySet().containsAll(versions.keySet())) {
            LOG.info("gold.marts: {} records no silver versions read: whole years", path);
            return null;
        }
        SortedSet<YearMonth> changed = new TreeSet<>();
        for (Input in : mart.inputs()) {
            long from = read.get().get(in.table()) + 1, to = versions.get(in.table());
            if (from > to + 1) {
                LOG.warn("gold.marts: {} read silver.{} at version {}, which is now at {}: whole years", path,
                        in.table(), from - 1, to);
                return null;
            }
            if (from > to) continue;
            try {
                Dataset<Row> feed = spark.read().format("delta").option("readChangeFeed", "true")
                        .option("startingVersion", from).option("endingVersion", to)
                        .load(ctx.warehouse().path(Layer.SILVER, in.table()));
                Dataset<Row> ym = null;
                for (MonthOf m : in.months()) {
                    Dataset<Row> d = feed.select(m.yearOf().cast("int").as("y"), m.monthOf().cast("int").as("m"));
                    ym = ym == null ? d : ym.union(d);
                }
                for (Row r : ym.where(col("y").isNotNull().and(col("m").isNotNull())).distinct().collectAsList()) {
                    int y = r.getInt(0), m = r.getInt(1);
                    if (m == 0) for (int k = 1; k <= 12; k++) changed.add(YearMonth.of(y, k));
                    else changed.add(YearMonth.of(y, m));
                }
            } catch (Exception e) {
                // Delta refuses a range with versions recorded before the feed was on (an
                // AnalysisException, checked), and a feed VACUUM removed fails on its files (a
                // SparkException, checked): neither loses data, whole years recompute it.
                LOG.warn("gold.marts: no change feed of silver.{} over versions {}..{} ({}): whole years", in.table(),
                        from, to, e.getMessage() == null ? e.getClass().getName() : e.getMessage().lines().findFirst().orElse(""));
                return null;
            }
        }
        return changed;
    }

    /** The changed months and, for a mart with previous-year columns, the same months a year later. */
    static SortedSet<YearMonth> recomputedMonths(SortedSet<YearMonth> changed, int lookbackYears) {
        SortedSet<YearMonth> out = new TreeSet<>(changed);
        if (lookbackYears > 0) changed.forEach(m -> out.add(m.plusYears(1)));
        return out;
    }

    static SortedMap<Integer, SortedSet<Integer>> byYear(SortedSet<YearMonth> months) {
        SortedMap<Integer, SortedSet<Integer>> out = new TreeMap<>();
        for (YearMonth m : months) out.computeIfAbsent(m.getYear(), y -> new TreeSet<>()).add(m.getMonthValue());
        return out;
    }

    private static SortedSet<Integer> yearsOf(SortedSet<YearMonth> months) {
        return new TreeSet<>(byYear(months).keySet());
    }

    /** {@code (year = 2020 AND month IN (12)) OR (year = 2021 AND month IN (1, 12))}: the replaced months. */
    static String monthsPredicate(SortedSet<YearMonth> months) {
        return byYear(months).entrySet().stream()
                .map(e -> "(year = " + e.getKey() + " AND month IN ("
                        + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", ")) + "))")
                .collect(Collectors.joining(" OR "));
    }

    static String watermarkText(Map<String, Long> versions) {
        return WATERMARK + " " + versions.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The silver versions recorded by {@link #watermarkText}, or empty for text of another kind. */
    static Optional<Map<String, Long>> parseWatermark(String text) {
        if (text == null || !text.startsWith(WATERMARK)) return Optional.empty();
        Map<String, Long> out = new LinkedHashMap<>();
        for (String part : text.substring(WATERMARK.length()).split(",")) {
            String[] kv = part.trim().split("@");
            if (kv.length != 2) return Optional.empty();
            try {
                out.put(kv[0], Long.parseLong(kv[1]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    /** The silver versions the latest commit of the mart that records them read (maintenance commits in between are skipped). */
    static Optional<Map<String, Long>> lastRead(SparkSession spark, String path) {
        if (!io.delta.tables.DeltaTable.isDeltaTable(spark, path)) return Optional.empty();
        long latest = org.apache.spark.sql.delta.DeltaLog.forTable(spark, path)
                .update(false, scala.Option.empty(), scala.Option.empty()).version();
        for (long v = latest; v >= 0 && v > latest - WATERMARK_LOOKBACK; v--) {
            String meta = null;
            boolean dataChange = false;
            try {
                for (Object a : Tables.commitActions(spark, path, v)) {
                    if (a instanceof org.apache.spark.sql.delta.actions.CommitInfo ci && ci.userMetadata().isDefined()) {
                        meta = ci.userMetadata().get();
                    } else if (a instanceof org.apache.spark.sql.delta.actions.FileAction f && f.dataChange()) {
                        dataChange = true;
                    }
                }
            } catch (Exception e) {
                return Optional.empty(); // log entries cleaned up (a checked FileNotFoundException): nothing older to find
            }
            if (meta != null && meta.startsWith(WATERMARK)) return parseWatermark(meta);
            // Maintenance (OPTIMIZE, VACUUM, properties) changes no data and is skipped; a commit
            // that changed data without recording what it read (an older release, a hand fix) leaves
            // it unknown.
            if (dataChange) return Optional.empty();
        }
        return Optional.empty();
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
