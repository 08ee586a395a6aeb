package vn.customs.cw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import vn.customs.cw.config.CwConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./cw bench --engines spark,duckdb}: whether Spark earns its place on one machine. The bench
 * year's landing data (generated or reused as for {@code --declarations N}) goes through the same job
 * ({@link EngineJob}) on each engine, one child JVM per engine, with the same threads (the cores of
 * {@code cw.spark.master}) and the same memory (the driver's heap, DuckDB's memory_limit). Each run
 * is timed from JVM start, with its peak RSS and CPU ({@code /usr/bin/time -v}); the statistics the
 * engines wrote are then compared row by row, so a faster engine cannot win by computing something
 * else. Before the first engine the landing files are read once, so that every engine reads them from
 * the page cache, not only the second. Polars runs the same job in Python
 * ({@code app/src/main/python/cw_engine_polars.py}) in the notebooks' environment
 * ({@code ./cw notebooks setup}), with {@code POLARS_MAX_THREADS} set; it has no memory limit to set.
 */
final class EngineComparison {
    static final List<String> KNOWN = List.of("spark", "duckdb", "polars");

    private final BenchCommand bench;
    private final CwConfig base;
    private final Path dir;

    EngineComparison(BenchCommand bench, CwConfig base, Path dir) {
        this.bench = bench;
        this.base = base;
        this.dir = dir;
    }

    int run(List<String> engines) throws IOException, InterruptedException, SQLException {
        if (engines.isEmpty()) throw new IllegalArgumentException("--engines needs at least one engine: " + KNOWN);
        for (String e : engines) {
            if (!KNOWN.contains(e)) throw new IllegalArgumentException("unknown engine '" + e + "' in --engines: one of " + KNOWN);
        }
        if (engines.stream().distinct().count() != engines.size()) throw new IllegalArgumentException("--engines repeats an engine: " + engines);
        if (engines.contains("polars")) polarsPython(base);
        Instant startedAt = Instant.now();
        String loadBefore = BenchCommand.loadAverage();
        String[] commit = {BenchCommand.commit(base.home()), String.valueOf(BenchCommand.dirty(base.home()))};
        long seed = base.generator().seed();
        long n = bench.declarations;
        Path landing = dir.resolve("landing-" + n + "-" + seed);
        CwConfig cfg = bench.benchConfig(base, landing, dir.resolve("warehouse-" + n));
        Map<String, Object> gen = bench.generate(cfg, landing, bench.from, bench.to, BenchCommand.scaleFor(base, n), seed, 0);

        int threads = threads(cfg.spark().master());
        long memory = Runtime.getRuntime().maxMemory();
        Path outRoot = dir.resolve("engines-" + n);
        DemoCommand.deleteTree(outRoot);
        Files.createDirectories(outRoot);
        long[] landingRows = {0, 0};
        long landingBytes = warmPageCache(landing, landingRows);
        System.out.printf(Locale.ROOT, "bench --engines: %s on %,d declaration rows and %,d step events (%,d MiB of CSV), %d threads, %,d MiB each%n",
                engines, landingRows[0], landingRows[1], landingBytes >> 20, threads, memory >> 20);

        List<Map<String, Object>> runs = new ArrayList<>();
        for (String e : engines) runs.add(runEngine(cfg, e, landing, outRoot.resolve(e), threads, memory, landingRows[0] + landingRows[1]));
        Map<String, Object> comparison = engines.size() > 1 ? compare(engines, outRoot, runs) : Map.of("compared", false);

        Map<String, Object> out = BenchCommand.header("engines", startedAt, cfg, loadBefore, commit);
        out.put("declarations", n);
        out.put("from", bench.from.toString());
        out.put("to", bench.to.toString());
        out.put("landing", landing.toString());
        out.put("landing_rows", Map.of("declarations", landingRows[0], "declaration_events", landingRows[1]));
        out.put("landing_bytes", landingBytes);
        out.put("generation", gen);
        out.put("threads", threads);
        out.put("memory_bytes", memory);
        out.put("job", "EngineJob: landing CSV → typed Parquet → release-time facts → exact monthly statistics (see its Javadoc)");
        out.put("engines", runs);
        out.put("comparison", comparison);
        out.put("load_average_after", BenchCommand.loadAverage());
        print(runs, comparison);
        bench.write(cfg, out, "bench-engines-" + n);
        boolean ok = runs.stream().allMatch(r -> Integer.valueOf(0).equals(r.get("exit_code")))
                && !Boolean.FALSE.equals(comparison.get("identical"));
        return ok ? 0 : 1;
    }

    /** The notebooks' Python, checked before any engine runs (not after an hour of Spark). */
    static Path polarsPython(CwConfig cfg) {
        Path python = cfg.home().resolve("notebooks/.venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("--engines polars runs in the notebooks' environment: no " + python
                    + " (create it with ./cw notebooks setup)");
        }
        return python;
    }

    static int threads(String master) {
        Matcher m = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
        if (m.matches()) return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
        if (master.equals("local")) return 1;
        throw new IllegalArgumentException("--engines compares engines on one machine: cw.spark.master must be local[N], got '" + master + "'");
    }

    /** Reads the two sources' files once (bytes returned) and counts their data rows. */
    private static long warmPageCache(Path landing, long[] rows) throws IOException {
        long bytes = 0;
        int i = 0;
        for (String source : List.of("declarations", "declaration_events")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(landing.resolve(source))) {
                files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
            }
            if (files.isEmpty()) throw new IllegalStateException("no CSV files in " + landing.resolve(source));
            for (Path f : files) {
                byte[] b = Files.readAllBytes(f);
                bytes += b.length;
                long lines = 0;
                for (byte x : b) if (x == '\n') lines++;
                // The header line; a last line without a newline still counts.
                rows[i] += lines - 1 + (b.length > 0 && b[b.length - 1] != '\n' ? 1 : 0);
            }
            i++;
        }
        return bytes;
    }

    private Map<String, Object> runEngine(CwConfig cfg, String engine, Path landing, Path out, int threads, long memory, long landingRows)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        boolean timeV = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timeV) cmd.addAll(List.of("/usr/bin/time", "-v"));
        if (engine.equals("polars")) {
            Path script = cfg.home().resolve("app/src/main/python/cw_engine_polars.py");
            cmd.addAll(List.of(polarsPython(cfg).toString(), script.toString(), landing.toString(), out.toString()));
        } else {
            cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // The JVM of ./cw (heap, collector, JIT, Spark's --add-opens), minus agents and debuggers.
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-XX:StartFlightRecording")) cmd.add(a);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineJob.class.getName(), engine, landing.toString(),
                    out.toString(), String.valueOf(threads), String.valueOf(memory), cfg.home().toString(), cfg.profile()));
            bench.parent.overrides.forEach((k, v) -> {
                if (!k.startsWith("cw.paths.")) cmd.add(k + "=" + v);
            });
        }
        System.out.println("bench --engines: " + engine);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("POLARS_MAX_THREADS", String.valueOf(threads));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                if (!l.contains(" WARN ") && !l.startsWith("\t")) System.out.println("  | " + l);
                lines.add(l);
            }
        }
        if (!p.waitFor(6, TimeUnit.HOURS)) p.destroyForcibly();
        double wall = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        Files.write(out.resolve("run.log"), lines, StandardCharsets.UTF_8);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("engine", engine);
        r.put("exit_code", p.exitValue());
        r.put("wall_seconds", BenchCommand.round(wall));
        // A failed run's rate would compare a part of the job with the whole.
        r.put("landing_rows_per_s", wall > 0 && p.exitValue() == 0 ? Math.round(landingRows / wall) : null);
        if (timeV) {
            Long kb = BenchCommand.timeVKb(lines, "Maximum resident set size (kbytes)");
            r.put("rss_peak_bytes", kb == null ? null : kb * 1024);
            r.put("user_seconds", BenchCommand.timeVDouble(lines, "User time (seconds)"));
            r.put("system_seconds", BenchCommand.timeVDouble(lines, "System time (seconds)"));
        }
        Path result = out.resolve("result.json");
        if (p.exitValue() == 0 && Files.isRegularFile(result)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> job = new ObjectMapper().readValue(result.toFile(), Map.class);
            r.putAll(job);
        } else {
            r.put("error", engine + " exit " + p.exitValue() + (p.exitValue() == 137 || lines.stream().anyMatch(l -> l.contains("terminated by signal 9"))
                    ? " (killed: out of memory?)" : "") + ": see " + out.resolve("run.log"));
        }
        r.put("command", engine.equals("polars") ? String.join(" ", cmd)
                : String.join(" ", cmd.subList(0, Math.min(cmd.size(), 3))) + " … " + EngineJob.class.getSimpleName() + " " + engine);
        return r;
    }

    /**
     * Every engine's statistics against the first's, row by row on (year, month, office_code,
     * direction): the counts exactly, the seconds to 1e-9 relative (the means are sums in a different
     * order). The facts' totals must be equal too.
     */
    static Map<String, Object> compare(List<String> engines, Path outRoot, List<Map<String, Object>> runs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("compared", true);
        m.put("reference", engines.get(0));
        boolean identical = true;
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (int i = 1; i < engines.size(); i++) {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("engine", engines.get(i));
            if (!Integer.valueOf(0).equals(runs.get(0).get("exit_code")) || !Integer.valueOf(0).equals(runs.get(i).get("exit_code"))) {
                pair.put("identical", false);
                pair.put("reason", "an engine failed: " + (runs.get(0).containsKey("error") ? runs.get(0).get("error") : runs.get(i).get("error")));
                identical = false;
                pairs.add(pair);
                continue;
            }
            Object ta = runs.get(0).get("fact_totals"), tb = runs.get(i).get("fact_totals");
            boolean factsEqual = ta != null && ta.equals(tb);
            pair.put("fact_totals_equal", factsEqual);
            long[] d = statsDifferences(outRoot.resolve(engines.get(0)).resolve("stats"), outRoot.resolve(engines.get(i)).resolve("stats"));
            pair.put("stats_rows", d[0]);
            pair.put("stats_rows_only_in_one", d[1]);
            pair.put("stats_rows_differing", d[2]);
            boolean same = factsEqual && d[0] > 0 && d[1] == 0 && d[2] == 0;
            pair.put("identical", same);
            identical &= same;
            pairs.add(pair);
        }
        m.put("pairs", pairs);
        m.put("identical", identical);
        return m;
    }

    private static final List<String> COUNTS = List.of("declarations", "finished", "cancelled", "min_seconds", "max_seconds");
    private static final List<String> MEASURES = List.of("mean_seconds", "median_seconds", "p90_seconds");

    /** {rows of a, rows only in one of them, rows in both that differ}. */
    static long[] statsDifferences(Path a, Path b) throws SQLException {
        StringBuilder differs = new StringBuilder("false");
        for (String c : COUNTS) differs.append(" OR a.").append(c).append(" IS DISTINCT FROM b.").append(c);
        for (String c : MEASURES) {
            differs.append(" OR NOT coalesce(abs(a.").append(c).append(" - b.").append(c).append(") <= 1e-9 * greatest(1, abs(a.")
                    .append(c).append(")), a.").append(c).append(" IS NULL AND b.").append(c).append(" IS NULL)");
        }
        String sql = "WITH a AS (SELECT * FROM read_parquet('" + EngineJob.sqlString(a) + "/*.parquet')), "
                + "b AS (SELECT * FROM read_parquet('" + EngineJob.sqlString(b) + "/*.parquet')) "
                + "SELECT (SELECT count(*) FROM a), "
                + "count(*) FILTER (WHERE a.declarations IS NULL OR b.declarations IS NULL), "
                + "count(*) FILTER (WHERE a.declarations IS NOT NULL AND b.declarations IS NOT NULL AND (" + differs + ")) "
                + "FROM a FULL OUTER JOIN b ON a.year IS NOT DISTINCT FROM b.year AND a.month IS NOT DISTINCT FROM b.month "
                + "AND a.office_code IS NOT DISTINCT FROM b.office_code AND a.direction IS NOT DISTINCT FROM b.direction";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return new long[]{r.getLong(1), r.getLong(2), r.getLong(3)};
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(List<Map<String, Object>> runs, Map<String, Object> comparison) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-8s %9s %9s %12s %10s %10s %8s %8s %10s %9s%n", "engine", "wall s", "start s",
                "load decl s", "load ev s", "facts s", "stats s", "user s", "rows/s", "RSS MiB");
        for (Map<String, Object> r : runs) {
            Map<String, Double> step = new LinkedHashMap<>();
            for (Map<String, Object> s : (List<Map<String, Object>>) r.getOrDefault("steps", List.of())) {
                step.put((String) s.get("step"), ((Number) s.get("seconds")).doubleValue());
            }
            System.out.printf(Locale.ROOT, "%-8s %9.1f %9s %12s %10s %10s %8s %8s %10s %9s%n", r.get("engine"), (Double) r.get("wall_seconds"),
                    fmt(r.get("session_seconds")), fmt(step.get("load declarations")), fmt(step.get("load declaration_events")),
                    fmt(step.get("facts")), fmt(step.get("stats")), fmt(r.get("user_seconds")),
                    r.get("landing_rows_per_s") == null ? "-" : String.format(Locale.ROOT, "%,d", ((Number) r.get("landing_rows_per_s")).longValue()),
                    BenchCommand.mib(r.get("rss_peak_bytes")));
        }
        if (Boolean.TRUE.equals(comparison.get("compared"))) {
            for (Map<String, Object> p : (List<Map<String, Object>>) comparison.get("pairs")) {
                if (p.containsKey("reason")) {
                    System.out.printf(Locale.ROOT, "results of %s against %s: not compared (%s)%n", p.get("engine"), comparison.get("reference"), p.get("reason"));
                    continue;
                }
                System.out.printf(Locale.ROOT, "results of %s against %s: %s (%s statistics rows; %s only in one, %s differing; fact totals equal: %s)%n",
                        p.get("engine"), comparison.get("reference"), Boolean.TRUE.equals(p.get("identical")) ? "the same" : "DIFFERENT",
                        p.getOrDefault("stats_rows", "?"), p.getOrDefault("stats_rows_only_in_one", "?"),
                        p.getOrDefault("stats_rows_differing", "?"), p.getOrDefault("fact_totals_equal", "?"));
            }
        }
    }

    private static String fmt(Object v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", ((Number) v).doubleValue());
    }
}
