package vn.customs.cw.trs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.DataFrameWriter;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.Stage;
import vn.customs.cw.pipeline.TableWrite;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.ops.Tables;

import java.util.ArrayList;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;

/**
 * {@code gold.release_time}: the release-time engine. Reads silver.declarations,
 * silver.declaration_milestones, silver.ref_calendar and silver.ref_offices and writes, one Delta
 * commit per table:
 * <ul>
 *   <li>gold.release_time_facts and gold.release_time_intervals (partitioned by registration_year and
 *       registration_month): a short run (a night) recomputes the declarations whose header or step
 *       events landed on its days and replaces their rows in one MERGE each ({@link #touched},
 *       {@link Tables#replaceEntities}); a longer run replaces its affected registration years
 *       ({@code replaceWhere});</li>
 *   <li>gold.release_time_monthly (partitioned by year): after a night, the MONTH rows of the
 *       rewritten months, the YEAR rows of their years (an exact yearly median needs the whole year)
 *       and the prev_* columns of the same periods a year later ({@link ReleaseTimeMonthly#touched});
 *       after a longer run, the affected years and the year after each;</li>
 *   <li>gold.trs_campaign_summary, trs_breakdowns, trs_interval_shares, trs_excluded_units and
 *       trs_unfinished for every configured campaign, overwritten whole (they are small, a campaign's
 *       comparison reads its previous campaign, and a campaign dropped from conf must disappear),
 *       from the facts and intervals of the campaigns' months only. They are not recomputed when
 *       their inputs are those of their last write ({@link #campaignInputs}): most nights touch
 *       no campaign month.</li>
 * </ul>
 * An empty {@link RunContext#affectedYears()} means a full rebuild of every year in silver, and so
 * does a facts or intervals table written before the month partitions (once).
 * Re-running with the same silver gives the same tables (idempotent).
 */
public final class ReleaseTimeStage implements Stage {
    public static final String NAME = "gold.release_time";
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseTimeStage.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        SparkSession spark = ctx.spark();
        Warehouse wh = ctx.warehouse();
        CwConfig.Trs trs = ctx.config().trs();
        Set<Integer> affected = ctx.affectedYears() == null ? Set.of() : ctx.affectedYears();
        // A short run replaces declarations in the tables as they are: with no facts or intervals yet
        // (or in the old layout) there is nothing to replace them in, so they are built whole.
        boolean full = affected.isEmpty() || !monthLayout(spark, wh)
                || !wh.exists(spark, Layer.GOLD, "release_time_facts") || !wh.exists(spark, Layer.GOLD, "release_time_intervals")
                || !currentColumns(spark, wh);
        // A short run (a night, a few days) recomputes the declarations that landed; null = whole years.
        Touched touched = full ? null : touched(ctx, affected);
        SortedMap<Integer, SortedSet<Integer>> months = touched == null ? null : touched.months();
        if (months != null && months.isEmpty()) {
            LOG.info("gold.release_time: no declaration or step event landed on {}..{}: nothing to recompute", ctx.from(), ctx.to());
            return List.of();
        }
        Set<Integer> years = months != null ? new TreeSet<>(months.keySet()) : affected;

        Dataset<Row> declarations = wh.read(spark, Layer.SILVER, "declarations");
        Dataset<Row> milestones = wh.read(spark, Layer.SILVER, "declaration_milestones");
        if (!full) {
            declarations = declarations.filter(col("registration_year").isin(years.toArray()));
            milestones = milestones.filter(col("registration_year").isin(years.toArray()));
        }
        if (touched != null) {
            // A night's declarations are a few days' numbers among the months' million: only theirs are
            // recomputed, and replaced in place (Tables.replaceEntities), not the months whole.
            Dataset<Row> keys = touched.count() <= BROADCAST_KEYS ? broadcast(touched.declarations()) : touched.declarations();
            declarations = declarations.join(keys, "declaration_no", "left_semi");
            milestones = milestones.join(keys, "declaration_no", "left_semi");
        }
        List<TableWrite> writes = new ArrayList<>();
        // Declarations × milestones is the widest shuffle of the stage: joined once, read by both tables.
        var level = ctx.cacheLevel();
        Dataset<Row> joined = ReleaseTimeFacts.joined(declarations, milestones).persist(level);
        Dataset<Row> intervals = ReleaseTimeFacts.intervalsOf(joined).persist(level);
        Dataset<Row> facts = ReleaseTimeFacts.factsOf(joined, intervals).persist(level);
        if (touched != null) {
            String scope = monthsPredicate(months);
            String target = monthsPredicate(months, "t.");
            writes.add(replace(ctx, "release_time_facts", facts, touched.declarations(), List.of("declaration_no"), target)
                    .scoped(scope));
            writes.add(replace(ctx, "release_time_intervals", intervals, touched.declarations(),
                    List.of("declaration_no", "interval_seq"), target).scoped(scope));
        } else {
            String replaced = full ? null : "registration_year IN (" + join(years) + ")";
            writes.add(write(spark, wh, level, "release_time_facts", facts, PARTITIONS, replaced, null).scoped(replaced));
            writes.add(write(spark, wh, level, "release_time_intervals", intervals, PARTITIONS, replaced, null).scoped(replaced));
        }
        intervals.unpersist();
        facts.unpersist();
        joined.unpersist();

        Dataset<Row> allFacts = wh.read(spark, Layer.GOLD, "release_time_facts");
        Dataset<Row> allIntervals = wh.read(spark, Layer.GOLD, "release_time_intervals");
        Dataset<Row> monthly, statistics;
        String monthlyReplaced;
        // The statistics are read twice (the periods and their previous year's means): persisted, so
        // the year's exact percentiles are computed once.
        if (full || !monthlyCurrent(spark, wh)) {
            statistics = ReleaseTimeMonthly.statistics(trs, allFacts, null).persist(level);
            monthly = ReleaseTimeMonthly.monthly(statistics, null);
            monthlyReplaced = null;
        } else if (months != null) {
            statistics = ReleaseTimeMonthly.statistics(trs, allFacts, months).persist(level);
            monthly = ReleaseTimeMonthly.touched(statistics, wh.read(spark, Layer.GOLD, "release_time_monthly"), months);
            monthlyReplaced = ReleaseTimeMonthly.replacedBy(months);
        } else {
            // A YEAR row's median needs every declaration of its year: whole years, and the year after.
            Set<Integer> targets = ReleaseTimeMonthly.targetYears(years);
            statistics = ReleaseTimeMonthly.statistics(trs,
                    allFacts.filter(col("registration_year").isin(ReleaseTimeMonthly.inputYears(targets).toArray())), null)
                    .persist(level);
            monthly = ReleaseTimeMonthly.monthly(statistics, targets);
            monthlyReplaced = "year IN (" + join(targets) + ")";
        }
        try {
            writes.add(write(spark, wh, level, "release_time_monthly", monthly, List.of("year"), monthlyReplaced, null)
                    .scoped(monthlyReplaced));
        } finally {
            statistics.unpersist(); // a server's session outlives the run
        }

        if (!trs.campaigns().isEmpty()) {
            // A campaign reads only the facts and intervals of its measurement weeks' months.
            Dataset<Row> calendar = wh.read(spark, Layer.SILVER, "ref_calendar");
            Dataset<Row> offices = wh.read(spark, Layer.SILVER, "ref_offices");
            SortedMap<Integer, SortedSet<Integer>> campaignMonths = Campaigns.months(spark, trs.campaigns(), calendar, offices);
            String fingerprint = campaignInputs(spark, wh, trs, campaignMonths);
            if (campaignsCurrent(spark, wh, fingerprint)) {
                LOG.info("gold.trs_*: the campaigns' inputs are those of their last write (months {}, conf, reference tables): not recomputed",
                        campaignMonths);
            } else {
                Column inCampaignMonths = ReleaseTimeMonthly.inMonths(campaignMonths, col("registration_year"), col("registration_month"));
                Campaigns.Result r = Campaigns.compute(spark, trs, trs.campaigns(), allFacts.filter(inCampaignMonths),
                        allIntervals.filter(inCampaignMonths), calendar, offices);
                // The summary last: its fingerprint says that all five were written (CAMPAIGN_TABLES).
                writes.add(write(spark, wh, level, "trs_breakdowns", r.breakdowns(), List.of(), null, fingerprint));
                writes.add(write(spark, wh, level, "trs_interval_shares", r.intervalShares(), List.of(), null, fingerprint));
                writes.add(write(spark, wh, level, "trs_excluded_units", r.excluded(), List.of(), null, fingerprint));
                writes.add(write(spark, wh, level, "trs_unfinished", r.unfinished(), List.of(), null, fingerprint));
                writes.add(write(spark, wh, level, "trs_campaign_summary", r.summary(), List.of(), null, fingerprint));
                r.release();
            }
        }
        return writes;
    }

    /**
     * Whether gold.release_time_monthly exists with the columns this release writes. A table of an older
     * release (before release_before_registration) is rebuilt whole, once: a night replaces some of its
     * rows, and Delta refuses rows of another schema under replaceWhere.
     */
    static boolean monthlyCurrent(SparkSession spark, Warehouse wh) {
        if (!wh.exists(spark, Layer.GOLD, "release_time_monthly")) return false;
        List<String> have = List.of(wh.read(spark, Layer.GOLD, "release_time_monthly").columns());
        if (have.equals(ReleaseTimeMonthly.columnNames())) return true;
        LOG.info("gold.release_time_monthly has the columns {}, not {}: rebuilt whole", have, ReleaseTimeMonthly.columnNames());
        return false;
    }

    /**
     * Whether facts and intervals (when they and their silver inputs exist) have the columns this release
     * computes; only the plans are built (no Spark job). Tables of a release with other columns are
     * rebuilt whole, once: a night's MERGE and a backfill's replaceWhere cannot take rows of another schema.
     */
    static boolean currentColumns(SparkSession spark, Warehouse wh) {
        if (!wh.exists(spark, Layer.SILVER, "declarations") || !wh.exists(spark, Layer.SILVER, "declaration_milestones")) return true;
        Dataset<Row> joined = ReleaseTimeFacts.joined(wh.read(spark, Layer.SILVER, "declarations"),
                wh.read(spark, Layer.SILVER, "declaration_milestones"));
        Dataset<Row> intervals = ReleaseTimeFacts.intervalsOf(joined);
        Map<String, Dataset<Row>> computed = Map.of("release_time_facts", ReleaseTimeFacts.factsOf(joined, intervals),
                "release_time_intervals", intervals);
        for (var e : computed.entrySet()) {
            if (!wh.exists(spark, Layer.GOLD, e.getKey())) continue;
            List<String> have = Tables.columnTypes(wh.read(spark, Layer.GOLD, e.getKey()).schema());
            List<String> want = Tables.columnTypes(e.getValue().schema());
            if (!have.equals(want)) {
                LOG.info("gold.{} has the columns {}, this release writes {}: rebuilt whole", e.getKey(), have, want);
                return false;
            }
        }
        return true;
    }

    /** Facts and intervals: a partition per registration month, so a night replaces a month, not a year. */
    static final List<String> PARTITIONS = List.of("registration_year", "registration_month");

    /**
     * Whether facts and intervals (when they exist) are partitioned by {@link #PARTITIONS}. Tables
     * written before the month partitions are rebuilt once, whole: a partial overwrite cannot change
     * a table's partitioning.
     */
    static boolean monthLayout(SparkSession spark, Warehouse wh) {
        for (String t : List.of("release_time_facts", "release_time_intervals")) {
            if (!wh.exists(spark, Layer.GOLD, t)) continue;
            List<String> cols = scala.collection.JavaConverters.seqAsJavaList(
                    DeltaLog.forTable(spark, wh.path(Layer.GOLD, t)).update(false, scala.Option.empty(), scala.Option.empty())
                            .metadata().partitionColumns());
            if (!cols.equals(PARTITIONS)) {
                LOG.info("gold.{} is partitioned by {}, not {}: rebuilt whole", t, cols, PARTITIONS);
                return false;
            }
        }
        return true;
    }

    /**
     * What a short run must recompute: the declarations whose header or step events landed on the
     * run's days (read from bronze, so a re-run after a crash finds the same set even though silver
     * no longer changes) and that silver registers in the run's affected years or gold holds, and
     * their registration months, where silver registers them now and where gold still has them (a
     * corrected registration instant moves a declaration to another month: its old row must go).
     * Null when the run is too long for this to pay ({@code cw.etl.incremental-max-days}, default
     * 31): whole years then.
     */
    static Touched touched(RunContext ctx, Set<Integer> affected) {
        if (!ctx.isShortRun()) return null;
        SparkSession spark = ctx.spark();
        Warehouse wh = ctx.warehouse();
        Dataset<Row> landed = null;
        for (Source s : List.of(Source.DECLARATIONS, Source.DECLARATION_EVENTS)) {
            if (!wh.exists(spark, Layer.BRONZE, s.folder())) continue;
            Dataset<Row> k = wh.read(spark, Layer.BRONZE, s.folder())
                    .filter(col("_landing_date").between(ctx.from().toString(), ctx.to().toString()))
                    .select(col("declaration_no"));
            landed = landed == null ? k : landed.union(k);
        }
        if (landed == null || !wh.exists(spark, Layer.SILVER, "declarations")) {
            return new Touched(new TreeMap<>(), spark.emptyDataFrame().select(lit(null).cast("string").as("declaration_no")), 0);
        }
        landed = landed.distinct().persist(ctx.cacheLevel());
        try {
            Dataset<Row> keys = landed.count() <= BROADCAST_KEYS ? broadcast(landed) : landed;
            // A declaration's registration year is among the run's affected years (its header or its
            // milestones were written); gold may still hold it in a neighbouring year.
            Set<Integer> near = new TreeSet<>(affected);
            affected.forEach(y -> { near.add(y - 1); near.add(y + 1); });
            Dataset<Row> found = wh.read(spark, Layer.SILVER, "declarations")
                    .filter(col("registration_year").isin(affected.toArray()))
                    .select(col("declaration_no"), col("registration_year").as("y"), month(col("registration_date")).as("m"))
                    .join(keys, "declaration_no", "left_semi");
            if (wh.exists(spark, Layer.GOLD, "release_time_facts")) {
                Dataset<Row> before = wh.read(spark, Layer.GOLD, "release_time_facts")
                        .filter(col("registration_year").isin(near.toArray()))
                        .select(col("declaration_no"), col("registration_year").as("y"), col("registration_month").as("m"));
                found = found.union(before.join(keys, "declaration_no", "left_semi"));
            }
            found = found.filter(col("y").isNotNull().and(col("m").isNotNull())).persist(ctx.cacheLevel());
            SortedMap<Integer, SortedSet<Integer>> out = new TreeMap<>();
            for (Row r : found.select("y", "m").distinct().collectAsList()) {
                out.computeIfAbsent(r.getInt(0), y -> new TreeSet<>()).add(r.getInt(1));
            }
            // A local checkpoint, not a cache: the keys are read from gold.release_time_facts, and the
            // facts MERGE would make Spark rebuild a cache of them from the pre-MERGE plan (which
            // Delta 3.3 cannot read once the table has deletion vectors).
            Dataset<Row> declarations = found.select("declaration_no").distinct().localCheckpoint(true);
            long n = declarations.count();
            found.unpersist();
            LOG.info("gold.release_time: {} declarations landed on {}..{}, in the registration months {}", n, ctx.from(), ctx.to(), out);
            return new Touched(out, declarations, n);
        } finally {
            landed.unpersist();
        }
    }

    /**
     * A short run's work: the registration months it changes and the declarations in them whose
     * facts and intervals are recomputed (one column, declaration_no, checkpointed locally; {@code count}
     * of them).
     */
    record Touched(SortedMap<Integer, SortedSet<Integer>> months, Dataset<Row> declarations, long count) {}

    /** Touched declarations up to this many are broadcast to the joins that find their months. */
    private static final long BROADCAST_KEYS = 2_000_000;

    /** {@code (registration_year = 2020 AND registration_month IN (12)) OR (...)}: the replaced partitions. */
    static String monthsPredicate(SortedMap<Integer, SortedSet<Integer>> months) {
        return monthsPredicate(months, "");
    }

    /** {@link #monthsPredicate} with the columns qualified by {@code qualifier} ({@code "t."}). */
    static String monthsPredicate(SortedMap<Integer, SortedSet<Integer>> months, String qualifier) {
        return months.entrySet().stream()
                .map(e -> "(" + qualifier + "registration_year = " + e.getKey() + " AND " + qualifier
                        + "registration_month IN (" + join(e.getValue()) + "))")
                .collect(Collectors.joining(" OR "));
    }

    /** One MERGE: the declarations' rows of {@code table} replaced by {@code rows} (Tables.replaceEntities). */
    static TableWrite replace(RunContext ctx, String table, Dataset<Row> rows, Dataset<Row> declarations, List<String> rowKey,
                              String targetScope) {
        long n = rows.count();
        long version = Tables.replaceEntities(ctx.spark(), ctx.warehouse(), Layer.GOLD, table, rows, declarations, rowKey,
                targetScope, ctx.deletionVectors());
        return TableWrite.derived("gold." + table, n, version);
    }

    private static String join(Set<Integer> years) {
        return years.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /**
     * The campaign tables in the order they are written. The summary goes last and carries the
     * fingerprint of the inputs ({@link #campaignsCurrent} reads it there): the others may make no
     * commit at all (Delta records no commit for an empty table overwritten with no rows), and a
     * crash before the summary leaves the old fingerprint, so the next run recomputes them all.
     */
    static final List<String> CAMPAIGN_TABLES = List.of("trs_breakdowns", "trs_interval_shares",
            "trs_excluded_units", "trs_unfinished", "trs_campaign_summary");

    /**
     * A fingerprint of everything the campaign tables are computed from: the cw.trs configuration
     * (campaigns, targets, extreme-value rule, minimum per office), the versions of
     * silver.ref_calendar and silver.ref_offices, the files of the campaign months' partitions of
     * gold.release_time_facts and _intervals (any rewrite of such a month gives new file names, so
     * a night that touched a campaign month, a rebuild or a crash between the writes all differ),
     * and the bytes of the classes that compute them (a new release recomputes once).
     */
    static String campaignInputs(SparkSession spark, Warehouse wh, CwConfig.Trs trs,
                                 SortedMap<Integer, SortedSet<Integer>> campaignMonths) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.util.function.Consumer<String> add = s -> md.update((s + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            add.accept(trs.toString());
            for (String t : List.of("ref_calendar", "ref_offices")) {
                add.accept(t + "@" + (wh.exists(spark, Layer.SILVER, t) ? wh.version(spark, Layer.SILVER, t) : -1));
            }
            Column inCampaignMonths = ReleaseTimeMonthly.inMonths(campaignMonths, col("partitionValues").getItem("registration_year").cast("int"),
                    col("partitionValues").getItem("registration_month").cast("int"));
            for (String t : List.of("release_time_facts", "release_time_intervals")) {
                List<String> files = DeltaLog.forTable(spark, wh.path(Layer.GOLD, t)).update(false, scala.Option.empty(), scala.Option.empty())
                        .allFiles().toDF().filter(inCampaignMonths).select(col("path")).as(org.apache.spark.sql.Encoders.STRING())
                        .collectAsList();
                add.accept(t + ":" + new TreeSet<>(files));
            }
            for (Class<?> c : List.of(Campaigns.class, TrsStats.class)) {
                try (var in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                    if (in == null) throw new IllegalStateException("class bytes of " + c.getName() + " not found");
                    md.update(in.readAllBytes());
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("cannot fingerprint the campaign inputs", e);
        }
    }

    /**
     * Whether the campaign tables were last written from these inputs: the summary's last commit
     * carries this fingerprint. OPTIMIZE, RESTORE or a hand edit after our write make it differ, and
     * so does a summary that made no commit (empty before and after): then they are recomputed.
     */
    static boolean campaignsCurrent(SparkSession spark, Warehouse wh, String fingerprint) {
        for (String t : CAMPAIGN_TABLES) {
            if (!wh.exists(spark, Layer.GOLD, t)) return false;
        }
        long version = wh.version(spark, Layer.GOLD, "trs_campaign_summary");
        var last = Tables.commitInfo(spark, wh.path(Layer.GOLD, "trs_campaign_summary"), version);
        if (last.isPresent() && last.get().userMetadata().isDefined() && fingerprint.equals(last.get().userMetadata().get())) return true;
        LOG.info("gold.trs_campaign_summary: last commit ({} {}) is not of these campaign inputs: the campaign tables are recomputed",
                last.map(ci -> ci.operation()).orElse("no commit info"), version);
        return false;
    }

    /**
     * One commit: overwrite the table, or only the rows matching {@code replaceWhere} when given;
     * {@code userMetadata} (may be null) goes into the commit's info.
     */
    static TableWrite write(SparkSession spark, Warehouse wh, org.apache.spark.storage.StorageLevel level, String table, Dataset<Row> df,
                            List<String> partitionColumns, String replaceWhere, String userMetadata) {
        Dataset<Row> data = df.persist(level);
        long rows = data.count();
        // One task per partition value: a file per (year[, month]) directory, not one per task and directory.
        Dataset<Row> out = partitionColumns.isEmpty() ? data
                : data.repartition(partitionColumns.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
        // Static, whatever the session says: the full rebuild must drop years no longer in silver, and
        // Delta refuses replaceWhere/overwriteSchema together with dynamic partition overwrite.
        DataFrameWriter<Row> w = out.write().format("delta").mode(SaveMode.Overwrite)
                .option("partitionOverwriteMode", "static");
        if (!partitionColumns.isEmpty()) w = w.partitionBy(partitionColumns.toArray(String[]::new));
        if (userMetadata != null) w = w.option("userMetadata", userMetadata);
        if (replaceWhere != null && wh.exists(spark, Layer.GOLD, table)) {
            w = w.option("replaceWhere", replaceWhere);
        } else {
            w = w.option("overwriteSchema", "true");
        }
        w.save(wh.path(Layer.GOLD, table));
        data.unpersist();
        return TableWrite.derived("gold." + table, rows, wh.version(spark, Layer.GOLD, table));
    }
}
