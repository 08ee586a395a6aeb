package vn.customs.cw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.generator.DemoDataGenerator;
import vn.customs.cw.generator.GeneratedData;
import vn.customs.cw.ops.RunLog;
import vn.customs.cw.pipeline.Pipeline;
import vn.customs.cw.reports.RenderResult;
import vn.customs.cw.reports.ReportKind;
import vn.customs.cw.reports.ReportRequest;
import vn.customs.cw.reports.ReportService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./cw bench}: the real path at a chosen volume, timed, with figures that can be compared
 * between commits. {@code --declarations N} generates (or reuses) one year of landing data and runs
 * backfill → silver → gold → release time → three reports in this one JVM and SparkSession on a fresh
 * warehouse of its own; {@code --night} loads one national day on top of such a warehouse through
 * {@code ./cw nightly} as a child process (so JVM start and the PDFs count). Both print a summary and
 * write {@code <out>/bench/bench-*.json}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the whole path at a given volume (or one national night) and write the figures as JSON.")
final class BenchCommand extends CwSubcommand {

    /** National volume is about 13.7 M declarations a year: the demo volumes of cw.conf times 68.5. */
    static final double NATIONAL_SCALE = 68.5;

    @Option(names = "--declarations", defaultValue = "100000", paramLabel = "N",
            description = "Declarations per year to generate and load (default ${DEFAULT-VALUE}; national ≈ 13700000).")
    long declarations;

    @Option(names = "--from", defaultValue = "2020-01-01", paramLabel = "DATE", description = "First landing day (default ${DEFAULT-VALUE}).")
    LocalDate from;

    @Option(names = "--to", defaultValue = "2020-12-31", paramLabel = "DATE", description = "Last landing day (default ${DEFAULT-VALUE}).")
    LocalDate to;

    @Option(names = "--night", description = "One national night: generate one day and run ./cw nightly on an existing bench warehouse.")
    boolean night;

    @Option(names = "--warehouse", paramLabel = "DIR",
            description = "With --night: the warehouse to load into (default: the bench warehouse of --declarations N).")
    Path nightWarehouse;

    @Option(names = "--date", paramLabel = "DATE",
            description = "With --night: the day to load (default: the day after the warehouse's last bench day).")
    LocalDate nightDate;

    @Option(names = "--night-scale", defaultValue = "68.5", paramLabel = "S",
            description = "With --night: generator scale of the day (default ${DEFAULT-VALUE} = national volume).")
    double nightScale;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "R",
            description = "With --night: run the night R times, each on a copy of the warehouse as the lead-in left it, "
                    + "and report every run and the median (default ${DEFAULT-VALUE}; an odd R, e.g. 3, has a middle run).")
    int repeat;

    @Option(names = "--batch-days", defaultValue = "366", paramLabel = "D",
            description = "Landing days per batch of the backfill (default ${DEFAULT-VALUE}: the bench year in one batch; "
                    + "cw.etl.batch-days is what nightly/backfill use).")
    int batchDays;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Folder of the bench landing data and warehouses (default $CW_HOME/work/bench).")
    Path work;

    @Option(names = "--engines", split = ",", paramLabel = "ENGINE",
            description = "Instead of the pipeline: the same job (landing CSV → typed Parquet → release-time facts → exact "
                    + "monthly statistics) on each engine, side by side, with the results compared: spark, duckdb, polars (in the notebooks' environment).")
    List<String> engines;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        CwConfig base = config();
        if (declarations < 1) throw new IllegalArgumentException("--declarations must be >= 1, got " + declarations);
        Path dir = (work != null ? work : base.home().resolve("work").resolve("bench")).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        if (engines != null && night) throw new IllegalArgumentException("--engines and --night do not go together");
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        if (repeat > 1 && !night) throw new IllegalArgumentException("--repeat " + repeat + " needs --night: a year is measured once");
        if (engines != null) return new EngineComparison(this, base, dir).run(engines);
        return night ? night(base, dir) : year(base, dir);
    }

    /** The bench's own landing, warehouse and lock paths on top of the user's profile and --set values. */
    CwConfig benchConfig(CwConfig base, Path landing, Path warehouse) {
        Map<String, Object> o = new LinkedHashMap<>(parent.overrides);
        o.put("cw.paths.landing", landing.toString());
        o.put("cw.paths.warehouse", warehouse.toString());
        o.put("cw.paths.locks", warehouse.resolve("_locks").toString());
        // Fixed costs are per source and batch (Spark jobs, Delta commits): a year in one batch.
        if (!night) o.putIfAbsent("cw.etl.batch-days", String.valueOf(batchDays));
        return CwConfig.load(base.home(), base.profile(), o);
    }

    static double scaleFor(CwConfig cfg, long declarations) {
        long perYear = cfg.generator().declarationsPerYear().values().stream().mapToLong(Integer::longValue).sum();
        return (double) declarations / perYear;
    }

    // ---------------------------------------------------------------- --declarations N

    private int year(CwConfig base, Path dir) throws IOException {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        String[] commit = {commit(base.home()), String.valueOf(dirty(base.home()))};
        resetPeaks();
        long seed = base.generator().seed();
        double scale = scaleFor(base, declarations);
        Path landing = dir.resolve("landing-" + declarations + "-" + seed);
        Path warehouse = dir.resolve("warehouse-" + declarations);
        CwConfig cfg = benchConfig(base, landing, warehouse);

        HeapSampler heap = HeapSampler.start();
        Map<String, Object> gen = generate(cfg, landing, from, to, scale, seed, 0);

        // A fresh warehouse every time: a second run on the same tables would measure MERGEs of nothing new.
        DemoCommand.deleteTree(warehouse);
        Path reportDir = dir.resolve("reports-" + declarations);
        DemoCommand.deleteTree(reportDir);
        List<Map<String, Object>> reports = new ArrayList<>();
        Map<String, Object> sparkSettings = new TreeMap<>();
        Pipeline.Result[] result = new Pipeline.Result[1];
        double[] pipelineSeconds = new double[1];
        long tRun = System.nanoTime();
        int rc = EtlRun.run(cfg, "bench", from, to, ctx -> {
            // What cw.etl.shuffle-partitions = auto gives the year (the run sets it back afterwards).
            sparkSettings.put("cw.etl.shuffle-partitions", cfg.raw().hasPath("cw.etl.shuffle-partitions")
                    ? cfg.raw().getString("cw.etl.shuffle-partitions") : "off");
            sparkSettings.put("cw.landing_bytes", Pipeline.ShufflePartitions.landingBytes(ctx));
            long tp = System.nanoTime();
            Pipeline.Result r = Pipeline.run(ctx, PipelineStages.extra(cfg, false));
            pipelineSeconds[0] = (System.nanoTime() - tp) / 1e9;
            result[0] = r;
            sparkSettings.putAll(sparkSettings(ctx.spark()));
            if (r.shufflePartitions() > 0) sparkSettings.put("spark.sql.shuffle.partitions", r.shufflePartitions());
            if (!r.failed()) {
                ctx.warehouse().registerCatalog(ctx.spark());
                ReportService service = new ReportService(ctx.spark(), cfg);
                for (BenchReport b : benchReports(cfg.trs(), from, to)) reports.add(b.render(service, reportDir));
            }
            return r;
        });
        double runSeconds = (System.nanoTime() - tRun) / 1e9;
        double total = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> out = header("year", startedAt, cfg, loadBefore, commit);
        out.put("declarations", declarations);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("scale", scale);
        out.put("seed", seed);
        out.put("landing", landing.toString());
        out.put("warehouse", warehouse.toString());
        out.put("exit_code", rc);
        out.put("generation", gen);
        Pipeline.Result r = result[0];
        List<Map<String, Object>> stages = r == null ? List.of() : stageTotals(r.entries());
        out.put("stages", stages);
        double stageSum = stages.stream().mapToDouble(s -> (Double) s.get("seconds")).sum();
        Map<String, Object> pipe = new LinkedHashMap<>();
        pipe.put("seconds", round(pipelineSeconds[0]));
        pipe.put("stage_seconds", round(stageSum));
        // Sources run side by side (cw.etl.parallel-sources): their seconds overlap, so the stage
        // seconds add up to more than the wall time; the union of the stage intervals does not.
        double covered = r == null ? 0 : coveredSeconds(r.entries(), e -> true);
        pipe.put("stage_wall_seconds", round(covered));
        pipe.put("sources_wall_seconds", r == null ? 0 : round(coveredSeconds(r.entries(), e -> e.stage().startsWith("source:"))));
        // What the stage rows do not cover: data checks after the batches, the run log, the catalog.
        pipe.put("other_seconds", round(pipelineSeconds[0] - covered));
        pipe.put("session_and_lock_seconds", round(runSeconds - pipelineSeconds[0]
                - reports.stream().mapToDouble(m -> (Double) m.get("seconds")).sum()));
        pipe.put("run_id", r == null ? null : r.runId());
        pipe.put("status", r == null ? "NOT RUN" : r.failed() ? "FAILED: " + r.reason() : "SUCCEEDED");
        pipe.put("data_checks", r == null ? 0 : r.checks().size());
        pipe.put("data_checks_failed", r == null ? 0 : r.checks().stream().filter(c -> c.status().equals("Failure")).count());
        out.put("pipeline", pipe);
        out.put("run_log", r == null ? List.of() : runLog(r.entries()));
        out.put("reports", reports);
        out.put("total_seconds", round(total));
        // The landing declarations file carries about two rows per declaration (versions): the cost is per declaration asked.
        out.put("declaration_rows_loaded", declarationsLoaded(r));
        out.put("seconds_per_million_declarations", round(total / (declarations / 1e6)));
        Map<String, Object> mem = memory(Files.exists(Path.of("/proc/self/status")) ? Path.of("/proc/self/status") : null);
        mem.put("heap_used_peak_sampled_bytes", heap.stop());
        out.put("memory", mem);
        out.put("spark", sparkSettings);
        out.put("load_average_after", loadAverage());

        printYear(out, stages, reports);
        write(cfg, out, "bench-" + declarations);
        if (rc == 0 && r != null && !r.failed()) {
            // --night continues from here: the day after the last bench day loaded into this warehouse.
            Files.writeString(lastDayMarker(warehouse), to.toString() + "\n");
        }
        boolean reportsOk = reports.stream().noneMatch(m -> "FAILED".equals(m.get("status")));
        return rc != 0 ? rc : reportsOk ? 0 : 1;
    }

    private static Path lastDayMarker(Path warehouse) {
        return warehouse.resolveSibling(warehouse.getFileName() + ".last-day");
    }

    Map<String, Object> generate(CwConfig cfg, Path landing, LocalDate d0, LocalDate d1, double scale, long seed, int numberBlock) {
        var params = new DemoDataGenerator.Params(d0, d1, scale, seed, 0.0, landing, DemoDataGenerator.allDepartments(cfg),
                numberBlock);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("landing", landing.toString());
        g.put("scale", scale);
        g.put("number_block", numberBlock);
        if (GeneratedData.matches(landing, params)) {
            System.out.println("bench: reusing landing data in " + landing);
            g.put("reused", true);
            g.put("rows", null);
            g.put("seconds", 0.0);
            g.put("rows_per_s", null);
            return g;
        }
        System.out.printf(Locale.ROOT, "bench: generating %s .. %s at scale %.4f into %s%n", d0, d1, scale, landing);
        DemoCommand.deleteTree(landing);
        var s = new DemoDataGenerator(cfg, params).run();
        g.put("reused", false);
        g.put("rows", s.totalRows());
        Map<String, Long> bySource = new LinkedHashMap<>();
        s.rows().forEach((src, n) -> bySource.put(src.folder(), n));
        g.put("rows_by_source", bySource);
        g.put("seconds", round(s.seconds()));
        g.put("rows_per_s", s.seconds() > 0 ? Math.round(s.totalRows() / s.seconds()) : null);
        System.out.printf(Locale.ROOT, "bench: %,d rows generated in %.1f s%n", s.totalRows(), s.seconds());
        return g;
    }

    /** The three reports of department 20 that fit the loaded range (the demo's published scenarios). */
    record BenchReport(ReportKind kind, String period, String campaign) {
        static final String DEPARTMENT = "20";

        Map<String, Object> render(ReportService service, Path dir) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", kind.template());
            m.put("department", DEPARTMENT);
            m.put("period", period);
            m.put("campaign", campaign);
            Path file = dir.resolve(kind.template() + "_" + DEPARTMENT + "_" + period.replace("..", "_") + ".pdf");
            long t = System.nanoTime();
            try {
                RenderResult r = service.render(new ReportRequest(kind, DEPARTMENT, period, campaign, "vi", file, null));
                m.put("status", "RENDERED");
                m.put("pages", r.pages());
                m.put("pdf", r.pdf().toString());
            } catch (RuntimeException e) {
                boolean noData = e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("no data");
                m.put("status", noData ? "NO DATA" : "FAILED");
                m.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            m.put("seconds", round((System.nanoTime() - t) / 1e9));
            return m;
        }
    }

    /**
     * Reform progress to the end of September (seed 001's period) or the loaded months, the May
     * release-time measurement QN-2020-1 when its week is loaded, satisfaction over the year (or months).
     */
    static List<BenchReport> benchReports(CwConfig.Trs trs, LocalDate from, LocalDate to) {
        List<BenchReport> l = new ArrayList<>();
        LocalDate reformEnd = to.isAfter(LocalDate.of(from.getYear(), 9, 30)) ? LocalDate.of(from.getYear(), 9, 30) : to;
        if (!reformEnd.isBefore(from)) l.add(new BenchReport(ReportKind.REFORM, months(from, reformEnd), null));
        // The campaign's summary needs its measurement week and follow-up window loaded.
        CwConfig.Campaign qn = trs.campaign("QN-2020-1");
        if (!from.isAfter(qn.start()) && !to.isBefore(qn.followUpCutoff())) {
            l.add(new BenchReport(ReportKind.RELEASE_TIME, String.format(Locale.ROOT, "%d-%02d",
                    qn.start().getYear(), qn.start().getMonthValue()), qn.id()));
        }
        boolean wholeYear = from.getDayOfYear() == 1 && to.equals(LocalDate.of(from.getYear(), 12, 31));
        l.add(new BenchReport(ReportKind.SATISFACTION, wholeYear ? Integer.toString(from.getYear()) : months(from, to), null));
        return l;
    }

    static String months(LocalDate a, LocalDate b) {
        String x = String.format(Locale.ROOT, "%d-%02d", a.getYear(), a.getMonthValue());
        String y = String.format(Locale.ROOT, "%d-%02d", b.getYear(), b.getMonthValue());
        return x.equals(y) ? x : x + ".." + y;
    }

    /** Seconds of wall time inside at least one of the matching run-log entries (their union). */
    static double coveredSeconds(List<RunLog.Entry> entries, java.util.function.Predicate<RunLog.Entry> which) {
        List<long[]> iv = new ArrayList<>();
        for (RunLog.Entry e : entries) {
            if (!which.test(e) || e.started() == null || e.ended() == null) continue;
            iv.add(new long[]{e.started().toEpochMilli(), e.ended().toEpochMilli()});
        }
        iv.sort(java.util.Comparator.comparingLong(a -> a[0]));
        long sum = 0, s0 = Long.MIN_VALUE, e0 = Long.MIN_VALUE;
        for (long[] a : iv) {
            if (a[0] > e0) {
                if (e0 > s0) sum += e0 - s0;
                s0 = a[0];
                e0 = a[1];
            } else {
                e0 = Math.max(e0, a[1]);
            }
        }
        if (e0 > s0) sum += e0 - s0;
        return sum / 1000.0;
    }

    /** One row per stage name: its runs (one per batch) summed; the tables a run writes share its clock. */
    static List<Map<String, Object>> stageTotals(List<RunLog.Entry> entries) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        Map<String, Map<Instant, Double>> runs = new LinkedHashMap<>();
        Map<String, String> status = new LinkedHashMap<>();
        for (RunLog.Entry e : entries) {
            if (e.stage().equals("run_log")) continue;
            Map<Instant, Double> byStart = runs.computeIfAbsent(e.stage(), k -> new LinkedHashMap<>());
            long[] rr = rows.computeIfAbsent(e.stage(), k -> new long[3]);
            // rows in of a run: its largest input (the landing rows of bronze, not bronze + silver again).
            boolean firstOfRun = !byStart.containsKey(e.started());
            byStart.put(e.started(), e.seconds());
            long in = e.rowsIn() == null ? 0 : e.rowsIn();
            if (firstOfRun) {
                rr[0] += in;
                rr[2] = in;
            } else if (in > rr[2]) {
                rr[0] += in - rr[2];
                rr[2] = in;
            }
            if (e.rowsLoaded() != null && e.table() != null && !e.table().startsWith("ops.")) rr[1] += e.rowsLoaded();
            status.merge(e.stage(), e.status(), (a, b) -> a.equals(RunLog.FAILED) || b.equals(RunLog.FAILED) ? RunLog.FAILED : a);
        }
        List<Map<String, Object>> l = new ArrayList<>();
        rows.forEach((stage, rr) -> {
            double s = runs.get(stage).values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", stage);
            m.put("runs", runs.get(stage).size());
            m.put("rows_in", rr[0]);
            m.put("rows_written", rr[1]);
            m.put("seconds", round(s));
            m.put("rows_per_s", s > 0 ? Math.round(rr[0] / s) : null);
            m.put("status", status.get(stage));
            l.add(m);
        });
        return l;
    }

    static List<Map<String, Object>> runLog(List<RunLog.Entry> entries) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (RunLog.Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", e.stage());
            m.put("table", e.table());
            m.put("rows_in", e.rowsIn());
            m.put("rows_loaded", e.rowsLoaded());
            m.put("rows_quarantined", e.rowsQuarantined());
            m.put("started", e.started().toString());
            m.put("seconds", round(e.seconds()));
            m.put("status", e.status());
            if (e.error() != null) m.put("note", e.error().length() > 300 ? e.error().substring(0, 300) + "…" : e.error());
            l.add(m);
        }
        return l;
    }

    private static long declarationsLoaded(Pipeline.Result r) {
        if (r == null) return 0;
        return r.entries().stream().filter(e -> "silver.declarations".equals(e.table()) && e.rowsLoaded() != null)
                .mapToLong(RunLog.Entry::rowsLoaded).sum();
    }

    private static void printYear(Map<String, Object> out, List<Map<String, Object>> stages, List<Map<String, Object>> reports) {
        System.out.println();
        System.out.printf(Locale.ROOT, "bench: %,d declarations/year, %s .. %s, scale %.4f%n", out.get("declarations"),
                out.get("from"), out.get("to"), (Double) out.get("scale"));
        System.out.printf("%-28s %6s %14s %10s %12s  %s%n", "stage", "runs", "rows in", "seconds", "rows/s", "status");
        @SuppressWarnings("unchecked") Map<String, Object> g = (Map<String, Object>) out.get("generation");
        System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %12s  %s%n", "generate", "-", g.get("rows") == null ? "-" : g.get("rows"),
                (Double) g.get("seconds"), g.get("rows_per_s") == null ? "-" : g.get("rows_per_s"),
                Boolean.TRUE.equals(g.get("reused")) ? "REUSED" : "GENERATED");
        for (Map<String, Object> s : stages) {
            System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %12s  %s%n", s.get("stage"), s.get("runs"), s.get("rows_in"),
                    (Double) s.get("seconds"), s.get("rows_per_s") == null ? "-" : s.get("rows_per_s"), s.get("status"));
        }
        @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) out.get("pipeline");
        System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %12s  %s%n", "(checks, run log, catalog)", "-", "-",
                (Double) p.get("other_seconds"), "-", "");
        System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %12s  %s%n", "(all sources, wall)", "-", "-",
                (Double) p.get("sources_wall_seconds"), "-", "side by side: their rows above overlap");
        for (Map<String, Object> r : reports) {
            System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %12s  %s%n", "report " + r.get("report"), "-", "-",
                    (Double) r.get("seconds"), "-", r.get("status") + (r.get("error") == null ? "" : " " + r.get("error")));
        }
        printFooter(out);
    }

    @SuppressWarnings("unchecked")
    private static void printFooter(Map<String, Object> out) {
        Map<String, Object> mem = (Map<String, Object>) out.get("memory");
        System.out.printf(Locale.ROOT, "bench: total %.1f s; peak heap used %s MiB (sampled); peak RSS %s MiB; load %s → %s; commit %s%n",
                (Double) out.get("total_seconds"), mib(mem.get("heap_used_peak_sampled_bytes")), mib(mem.get("rss_peak_bytes")),
                out.get("load_average_before"), out.get("load_average_after"), out.get("commit"));
    }

    static String mib(Object bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%,d", ((Number) bytes).longValue() >> 20);
    }

    // ---------------------------------------------------------------- --night

    private int night(CwConfig base, Path dir) throws IOException, InterruptedException {
        Instant startedAt = Instant.now();
        String loadBefore = loadAverage();
        String[] commit = {commit(base.home()), String.valueOf(dirty(base.home()))};
        Path warehouse = (nightWarehouse != null ? nightWarehouse : dir.resolve("warehouse-" + declarations)).toAbsolutePath().normalize();
        if (!Files.isDirectory(warehouse)) {
            throw new IllegalArgumentException("no warehouse " + warehouse + ": run ./cw bench --declarations " + declarations
                    + " first, or give --warehouse");
        }
        LocalDate day = nightDate;
        if (day == null) {
            Path marker = lastDayMarker(warehouse);
            if (!Files.isRegularFile(marker)) {
                throw new IllegalArgumentException("no " + marker + " (last bench day of " + warehouse + "): give --date");
            }
            day = LocalDate.parse(Files.readString(marker).trim()).plusDays(1);
        }
        long seed = base.generator().seed();
        Path landing = dir.resolve("landing-night-" + day + "-" + nightScale + "-" + seed);
        CwConfig cfg = benchConfig(base, landing, warehouse);
        // The generator numbers declarations per day, so the night's landing (at national scale) holds
        // events of declarations registered in the days before it, under numbers the bench year loaded
        // at its own scale. The lead-in days are loaded first, unmeasured, at the night's scale: the
        // warehouse then holds exactly the declarations the night's events continue. They are numbered in a
        // block of their own (number block 1): the year has the same days at its own scale, under the same
        // numbers in block 0, and a number both used would mix two declarations' headers and step events
        // (every one of the 51 releases before registration a 1 M bench night of the sixteenth session found).
        LocalDate leadIn = day.minusDays(NIGHT_LEAD_IN_DAYS);
        Map<String, Object> gen = generate(cfg, landing, leadIn, day, nightScale, seed, 1);
        Path outDir = dir.resolve("night-out");
        List<String> lead = childCommand(cfg, warehouse, landing, outDir,
                "backfill", "--from", leadIn.toString(), "--to", day.minusDays(1).toString());
        System.out.println("bench: lead-in (not measured): " + String.join(" ", lead));
        Path leadLog = dir.resolve("night-" + day + "-lead-in.log");
        long tl = System.nanoTime();
        ProcessBuilder lpb = new ProcessBuilder(lead).directory(cfg.home().toFile()).redirectErrorStream(true)
                .redirectOutput(leadLog.toFile());
        lpb.environment().put("CW_SERVE", "off");
        Process lp = lpb.start();
        if (!lp.waitFor(60, TimeUnit.MINUTES) || lp.exitValue() != 0) {
            throw new IllegalStateException("the night's lead-in backfill failed (exit " + (lp.isAlive() ? "timeout" : lp.exitValue())
                    + "): see " + leadLog);
        }
        double leadSeconds = (System.nanoTime() - tl) / 1e9;
        System.out.printf(Locale.ROOT, "bench: lead-in %s..%s loaded in %.1f s (log %s)%n", leadIn, day.minusDays(1), leadSeconds, leadLog);

        // A night's wall time moves by ±6 % between runs of the same code on this machine (200–226 s for
        // the same 1 M night in the eighteenth session): one run cannot tell a 5 % change. Each repetition
        // starts from a copy of the state the lead-in left, so every run does the same work.
        Path preNight = null;
        if (repeat > 1) {
            preNight = warehouse.resolveSibling(warehouse.getFileName() + ".pre-night");
            DemoCommand.deleteTree(preNight);
            FileUtils.copyDirectory(warehouse.toFile(), preNight.toFile());
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        try {
            for (int i = 1; i <= repeat; i++) {
                if (i > 1) {
                    DemoCommand.deleteTree(warehouse);
                    FileUtils.copyDirectory(preNight.toFile(), warehouse.toFile());
                }
                Path log = dir.resolve(repeat == 1 ? "night-" + day + ".log" : "night-" + day + "-run" + i + ".log");
                Map<String, Object> run = measureNight(cfg, warehouse, landing, outDir, day, log);
                run.put("run", i);
                runs.add(run);
                System.out.printf(Locale.ROOT, "bench --night %s run %d of %d: exit %s in %.1f s wall, user CPU %s s, peak RSS %s MiB%n",
                        day, i, repeat, run.get("exit_code"), (Double) run.get("wall_seconds"), run.get("user_seconds"),
                        mib(run.get("rss_peak_bytes")));
                if ((Integer) run.get("exit_code") != 0) break; // a failing night is not measured again
            }
        } finally {
            if (preNight != null) DemoCommand.deleteTree(preNight);
        }
        NightRuns nr = NightRuns.of(runs);
        Map<String, Object> child = nr.middle();
        int rc = nr.exitCode();
        double wall = nr.medianWall();

        Map<String, Object> out = header("night", startedAt, cfg, loadBefore, commit);
        out.put("date", day.toString());
        out.put("scale", nightScale);
        out.put("seed", seed);
        out.put("warehouse", warehouse.toString());
        out.put("landing", landing.toString());
        out.put("exit_code", rc);
        out.put("generation", gen);
        out.put("lead_in", Map.of("from", leadIn.toString(), "to", day.minusDays(1).toString(),
                "seconds", round(leadSeconds), "log", leadLog.toString(), "measured", false));
        out.put("nightly", child);
        out.put("total_seconds", round(wall));
        out.put("repeat", Map.of("runs", runs.size(), "wall_seconds", nr.wallSummary(), "same_work", nr.sameWork(),
                "page_cache", "warm: each run's warehouse was just written or copied"));
        out.put("runs", runs);
        out.put("memory", Map.of("rss_peak_bytes", nr.peakRss(), "scope", "the nightly child process (the largest of its runs)"));
        out.put("load_average_after", loadAverage());

        System.out.println();
        if (runs.size() == 1) {
            System.out.printf(Locale.ROOT, "bench --night %s (scale %s): nightly exit %d in %.1f s wall (JVM start, ETL, PDFs); child peak RSS %s MiB%n",
                    day, nightScale, rc, wall, mib(child.get("rss_peak_bytes")));
        } else {
            Map<String, Object> w = nr.wallSummary();
            System.out.printf(Locale.ROOT, "bench --night %s (scale %s): %d runs, median %.1f s wall (min %.1f, max %.1f, spread %.1f %%; "
                            + "JVM start, ETL, PDFs); exit %d; child peak RSS %s MiB%n", day, nightScale, runs.size(), wall,
                    (Double) w.get("min"), (Double) w.get("max"), (Double) w.get("spread_percent"), rc, mib(nr.peakRss()));
        }
        if (!nr.sameWork()) {
            System.err.println("bench --night: the runs did not load the same rows (stage, table, rows in, loaded, quarantined, status): "
                    + "their times are not comparable; see the logs");
        }
        write(cfg, out, "bench-night-" + day);
        if (rc == 0) Files.writeString(lastDayMarker(warehouse), day + "\n");
        return rc == 0 && nr.sameWork() ? 0 : 1;
    }

    /** One {@code ./cw nightly} child in a fresh JVM, timed: its figures and the stages of its run summary. */
    private Map<String, Object> measureNight(CwConfig cfg, Path warehouse, Path landing, Path outDir, LocalDate day, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        boolean timeV = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timeV) cmd.addAll(List.of("/usr/bin/time", "-v"));
        cmd.addAll(childCommand(cfg, warehouse, landing, outDir, "nightly", "--date", day.toString()));
        System.out.println("bench: " + String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cfg.home().toFile()).redirectErrorStream(true);
        // The night is measured in a fresh JVM, JVM start included, even while ./cw serve runs.
        pb.environment().put("CW_SERVE", "off");
        long t0 = System.nanoTime();
        Process p = pb.start();
        long[] polledHwm = {0};
        Thread poller = null;
        if (!timeV) {
            // No /usr/bin/time: the launcher execs java, so the child's own pid is the JVM.
            long pid = p.pid();
            poller = new Thread(() -> {
                while (p.isAlive()) {
                    Long v = statusKb(Path.of("/proc/" + pid + "/status"), "VmHWM");
                    if (v != null) polledHwm[0] = Math.max(polledHwm[0], v * 1024);
                    try { Thread.sleep(200); } catch (InterruptedException e) { return; }
                }
            });
            poller.setDaemon(true);
            poller.start();
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                System.out.println("  | " + l);
                lines.add(l);
            }
        }
        p.waitFor(10, TimeUnit.MINUTES);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (poller != null) poller.join(1000);
        int rc = p.exitValue();
        Files.write(log, lines, StandardCharsets.UTF_8);

        Map<String, Object> child = new LinkedHashMap<>();
        child.put("command", String.join(" ", cmd));
        child.put("exit_code", rc);
        child.put("wall_seconds", round(wall));
        Long rss = timeV ? timeVKb(lines, "Maximum resident set size (kbytes)") : null;
        child.put("rss_peak_bytes", timeV ? (rss == null ? null : rss * 1024) : polledHwm[0]);
        child.put("rss_source", timeV ? "/usr/bin/time -v" : "polled /proc/<pid>/status VmHWM");
        if (timeV) {
            child.put("user_seconds", timeVDouble(lines, "User time (seconds)"));
            child.put("system_seconds", timeVDouble(lines, "System time (seconds)"));
        }
        child.put("log", log.toString());
        List<Map<String, Object>> stages = parseSummary(lines);
        child.put("stages", stages);
        child.put("pdfs", lines.stream().filter(l -> l.contains(".pdf")).count() > 0
                ? countPdfs(outDir.resolve("reports").resolve(day.toString())) : 0);

        return child;
    }

    /**
     * The runs of one night ({@code --repeat}): the median wall time (the mean of the middle two for an
     * even count), the run nearest to it, and whether every run loaded the same rows.
     */
    record NightRuns(List<Map<String, Object>> runs) {
        static NightRuns of(List<Map<String, Object>> runs) {
            if (runs.isEmpty()) throw new IllegalArgumentException("no night was run");
            return new NightRuns(List.copyOf(runs));
        }

        private List<Double> walls() {
            return runs.stream().map(r -> (Double) r.get("wall_seconds")).sorted().toList();
        }

        double medianWall() {
            List<Double> w = walls();
            int n = w.size();
            return n % 2 == 1 ? w.get(n / 2) : (w.get(n / 2 - 1) + w.get(n / 2)) / 2;
        }

        /** The run whose wall time is nearest the median (the first of equals). */
        Map<String, Object> middle() {
            double m = medianWall();
            Map<String, Object> best = runs.get(0);
            for (Map<String, Object> r : runs) {
                if (Math.abs((Double) r.get("wall_seconds") - m) < Math.abs((Double) best.get("wall_seconds") - m)) best = r;
            }
            return best;
        }

        /** 0 when every run exited 0, else the first other exit code. */
        int exitCode() {
            return runs.stream().map(r -> (Integer) r.get("exit_code")).filter(c -> c != 0).findFirst().orElse(0);
        }

        Map<String, Object> wallSummary() {
            List<Double> w = walls();
            double min = w.get(0), max = w.get(w.size() - 1), med = medianWall();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("median", round(med));
            m.put("min", round(min));
            m.put("max", round(max));
            m.put("spread_percent", round(med == 0 ? 0 : 100 * (max - min) / med));
            return m;
        }

        long peakRss() {
            return runs.stream().map(r -> r.get("rss_peak_bytes")).filter(java.util.Objects::nonNull)
                    .mapToLong(v -> ((Number) v).longValue()).max().orElse(0L);
        }

        /** Whether every run's summary has the same stages, tables and row counts (not seconds). */
        boolean sameWork() {
            List<List<Object>> first = work(runs.get(0));
            return runs.stream().allMatch(r -> work(r).equals(first));
        }

        @SuppressWarnings("unchecked")
        private static List<List<Object>> work(Map<String, Object> run) {
            List<List<Object>> w = new ArrayList<>();
            for (Map<String, Object> st : (List<Map<String, Object>>) run.getOrDefault("stages", List.of())) {
                w.add(java.util.Arrays.asList(st.get("stage"), st.get("table"), st.get("rows_in"), st.get("loaded"),
                        st.get("quarantined"), st.get("status")));
            }
            return w;
        }
    }

    /** Days before the night loaded at the night's scale first (a declaration's events span up to 4 days). */
    static final int NIGHT_LEAD_IN_DAYS = 7;

    /** ./cw with the user's profile and settings, on the bench warehouse and landing. */
    private List<String> childCommand(CwConfig cfg, Path warehouse, Path landing, Path outDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(cfg.home().resolve("cw").toString());
        if (parent.profile != null) cmd.addAll(List.of("--profile", parent.profile));
        parent.overrides.forEach((k, v) -> {
            if (!k.startsWith("cw.paths.")) cmd.addAll(List.of("--set", k + "=" + v));
        });
        cmd.addAll(List.of("--set", "cw.paths.warehouse=" + warehouse, "--set", "cw.paths.landing=" + landing,
                "--set", "cw.paths.locks=" + warehouse.resolve("_locks"), "--set", "cw.paths.out=" + outDir));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static long countPdfs(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (var s = Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(".pdf")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static final Pattern SUMMARY = Pattern.compile(
            "^(\\S+)\\s+(\\S+)\\s+(-|\\d+)\\s+(-|\\d+)\\s+(-|\\d+)\\s+(\\d+\\.\\d)\\s+(-|\\d+)\\s+(SUCCEEDED|FAILED|SKIPPED)\\b.*");

    /** The run summary the nightly child prints (Pipeline.printSummary): one row per stage and table. */
    static List<Map<String, Object>> parseSummary(List<String> lines) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (String line : lines) {
            Matcher m = SUMMARY.matcher(line);
            if (!m.matches()) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("stage", m.group(1));
            r.put("table", m.group(2));
            r.put("rows_in", m.group(3).equals("-") ? null : Long.parseLong(m.group(3)));
            r.put("loaded", m.group(4).equals("-") ? null : Long.parseLong(m.group(4)));
            r.put("quarantined", m.group(5).equals("-") ? null : Long.parseLong(m.group(5)));
            r.put("seconds", Double.parseDouble(m.group(6)));
            r.put("rows_per_s", m.group(7).equals("-") ? null : Long.parseLong(m.group(7)));
            r.put("status", m.group(8));
            l.add(r);
        }
        return l;
    }

    static Long timeVKb(List<String> lines, String key) {
        Double d = timeVDouble(lines, key);
        return d == null ? null : d.longValue();
    }

    static Double timeVDouble(List<String> lines, String key) {
        for (String l : lines) {
            String t = l.trim();
            if (t.startsWith(key + ":")) {
                try {
                    return Double.parseDouble(t.substring(key.length() + 1).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- common

    /** @param commit the commit and dirty flag read when the bench started (a commit made meanwhile is not the one measured) */
    static Map<String, Object> header(String mode, Instant startedAt, CwConfig cfg, String loadBefore, String[] commit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", mode);
        m.put("started_at", startedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("commit", commit[0]);
        m.put("commit_dirty", commit[1].equals("null") ? null : Boolean.valueOf(commit[1]));
        m.put("profile", cfg.profile());
        m.put("machine", machine());
        m.put("load_average_before", loadBefore);
        return m;
    }

    void write(CwConfig cfg, Map<String, Object> out, String name) throws IOException {
        Path dir = cfg.paths().out().resolve("bench");
        Files.createDirectories(dir);
        String ts = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        Path f = dir.resolve(name + "-" + ts + ".json");
        JSON.writeValue(f.toFile(), out);
        System.out.println("bench: figures written to " + f);
    }

    /** The largest heap in use seen every 100 ms: closer to the true peak than the sum of pool peaks. */
    static final class HeapSampler {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peak;

        private HeapSampler() {
            thread = new Thread(() -> {
                var mx = ManagementFactory.getMemoryMXBean();
                while (running) {
                    peak = Math.max(peak, mx.getHeapMemoryUsage().getUsed());
                    try { Thread.sleep(100); } catch (InterruptedException e) { return; }
                }
            }, "bench-heap-sampler");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            HeapSampler h = new HeapSampler();
            h.thread.start();
            return h;
        }

        long stop() {
            running = false;
            thread.interrupt();
            return peak;
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    /** Heap: the sum of the heap pools' peaks since the bench started (an upper bound of the true peak). */
    static Map<String, Object> memory(Path procStatus) {
        Map<String, Object> m = new LinkedHashMap<>();
        long heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) heapPeak += p.getPeakUsage().getUsed();
        }
        // The sum of the heap pools' peaks since the bench started: an upper bound (eden, survivor and old peak at different times).
        m.put("heap_peak_bytes", heapPeak);
        m.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
        long gcCount = 0, gcMillis = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, g.getCollectionCount());
            gcMillis += Math.max(0, g.getCollectionTime());
        }
        m.put("gc_collections", gcCount);
        m.put("gc_seconds", round(gcMillis / 1000.0));
        Long hwm = procStatus == null ? null : statusKb(procStatus, "VmHWM");
        m.put("rss_peak_bytes", hwm == null ? null : hwm * 1024);
        m.put("rss_source", "/proc/self/status VmHWM (whole JVM since start)");
        return m;
    }

    static Long statusKb(Path status, String key) {
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith(key + ":")) return Long.parseLong(l.substring(key.length() + 1).replace("kB", "").trim());
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        Long total = Files.exists(Path.of("/proc/meminfo")) ? statusKb(Path.of("/proc/meminfo"), "MemTotal") : null;
        m.put("memory_total_bytes", total == null ? null : total * 1024);
        try {
            Path cpu = Path.of("/proc/cpuinfo");
            if (Files.exists(cpu)) {
                Files.readAllLines(cpu).stream().filter(l -> l.startsWith("model name")).findFirst()
                        .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
            }
        } catch (IOException ignored) {
            // the CPU name is a nicety
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String commit(Path home) {
        String c = git(home, "rev-parse", "HEAD");
        return c == null || c.isBlank() ? "unknown" : c.trim();
    }

    static Boolean dirty(Path home) {
        String s = git(home, "status", "--porcelain", "--untracked-files=no");
        return s == null ? null : !s.isBlank();
    }

    private static String git(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", home.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? s : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Settings that change the figures: spark.sql.*, spark.databricks.* (Delta), master, driver memory. */
    static Map<String, Object> sparkSettings(SparkSession spark) {
        Map<String, Object> m = new TreeMap<>();
        for (Tuple2<String, String> t : spark.sparkContext().getConf().getAll()) {
            if (relevant(t._1())) m.put(t._1(), t._2());
        }
        for (Row r : spark.sql("SET").collectAsList()) {
            if (relevant(r.getString(0))) m.put(r.getString(0), r.getString(1));
        }
        for (String k : List.of("spark.sql.shuffle.partitions", "spark.sql.adaptive.enabled", "spark.sql.files.maxPartitionBytes",
                "spark.sql.autoBroadcastJoinThreshold")) {
            m.putIfAbsent(k, spark.conf().get(k));
        }
        m.put("spark.default.parallelism", spark.sparkContext().defaultParallelism());
        m.put("spark.version", spark.version());
        return m;
    }

    private static boolean relevant(String k) {
        if (k.equals("spark.databricks.delta.lastCommitVersionInSession")) return false; // a counter, not a setting
        return k.startsWith("spark.sql.") || k.startsWith("spark.databricks.") || k.equals("spark.master")
                || k.startsWith("spark.driver.memory") || k.startsWith("spark.executor.memory") || k.equals("spark.eventLog.enabled")
                || k.equals("spark.eventLog.dir");
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
