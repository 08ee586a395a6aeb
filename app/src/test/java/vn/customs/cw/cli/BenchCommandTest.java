package vn.customs.cw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.ops.RunLog;
import vn.customs.cw.pipeline.Pipeline;
import vn.customs.cw.testing.SparkTestBase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;

/** ./cw bench at a tiny size (what CI runs): the JSON has every figure, with sane values. */
class BenchCommandTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void tinyBenchWritesEveryFigure() throws Exception {
        JsonNode j = tinyBench("bench-300", "bench exit code");

        Assertions.assertEquals("year", j.path("bench").asText(), "mode");
        Assertions.assertEquals(300, j.path("declarations").asLong(), "N");
        Assertions.assertEquals(300.0 / 200_000, j.path("scale").asDouble(), 1e-12, "scale = N / sum of declarations-per-year");
        Assertions.assertTrue(j.path("commit").asText().matches("[0-9a-f]{40}|unknown"), "commit id: " + j.path("commit"));
        Assertions.assertTrue(j.path("total_seconds").asDouble() > 0, "total wall time");
        Assertions.assertTrue(j.path("machine").path("cores").asInt() > 0, "cores");
        Assertions.assertTrue(j.path("machine").path("memory_total_bytes").asLong() > 0, "machine memory");
        Assertions.assertTrue(j.path("load_average_before").asText().matches("[\\d.]+ [\\d.]+ [\\d.]+"), "load average");

        JsonNode gen = j.path("generation");
        Assertions.assertFalse(gen.path("reused").asBoolean(), "first run generates");
        Assertions.assertTrue(gen.path("rows").asLong() > 0 && gen.path("seconds").asDouble() > 0, "generation figures: " + gen);
        Assertions.assertTrue(Files.isRegularFile(dir.resolve("work/landing-300-2020/_manifest/generation.json")), "landing in its own folder");
        Assertions.assertTrue(Files.isDirectory(dir.resolve("work/warehouse-300/silver/declarations")), "warehouse in its own folder");

        Map<String, JsonNode> stages = new java.util.LinkedHashMap<>();
        j.path("stages").forEach(s -> stages.put(s.path("stage").asText(), s));
        for (String st : List.of("reference", "source:declarations", "source:declaration_events", "silver:declaration_milestones",
                "gold.marts", "gold.release_time")) {
            JsonNode s = stages.get(st);
            Assertions.assertNotNull(s, "stage " + st + " in " + stages.keySet());
            Assertions.assertEquals("SUCCEEDED", s.path("status").asText(), st + " status");
            Assertions.assertTrue(s.path("seconds").asDouble() > 0, st + " seconds");
            Assertions.assertTrue(s.path("rows_in").asLong() > 0, st + " rows in");
            Assertions.assertTrue(s.path("rows_per_s").asLong() >= 0, st + " rows/s");
        }
        Assertions.assertTrue(j.path("declaration_rows_loaded").asLong() > 0, "declaration rows loaded into silver");
        Assertions.assertTrue(j.path("seconds_per_million_declarations").asDouble() > 0, "cost per million");
        Assertions.assertEquals(stages.get("source:declarations").path("rows_in").asLong(),
                gen.path("rows_by_source").path("declarations").asLong(), "the stage reads every generated declaration");
        Assertions.assertEquals("SUCCEEDED", j.path("pipeline").path("status").asText(), "pipeline");
        JsonNode pipe = j.path("pipeline");
        Assertions.assertTrue(pipe.path("other_seconds").asDouble() >= 0,
                "other seconds come from the union of stage intervals, never negative when sources overlap: " + pipe);
        Assertions.assertTrue(pipe.path("sources_wall_seconds").asDouble() > 0
                        && pipe.path("sources_wall_seconds").asDouble() <= pipe.path("stage_wall_seconds").asDouble()
                        && pipe.path("stage_wall_seconds").asDouble() <= pipe.path("seconds").asDouble() + 0.1,
                "sources wall ≤ stages wall ≤ pipeline wall: " + pipe);
        Assertions.assertTrue(j.path("run_log").size() >= stages.size(), "the run log rows");

        JsonNode reports = j.path("reports");
        Assertions.assertTrue(reports.size() >= 2, "reform and satisfaction at least: " + reports);
        boolean rendered = false;
        for (JsonNode r : reports) {
            Assertions.assertTrue(Set.of("RENDERED", "NO DATA").contains(r.path("status").asText()), "report " + r);
            Assertions.assertTrue(r.path("seconds").asDouble() > 0, "report seconds " + r);
            rendered |= r.path("status").asText().equals("RENDERED") && r.path("pages").asInt() > 0;
        }
        Assertions.assertTrue(rendered, "at least the reform report is rendered: " + reports);

        JsonNode mem = j.path("memory");
        Assertions.assertTrue(mem.path("rss_peak_bytes").asLong() > 0, "peak RSS");
        Assertions.assertTrue(mem.path("heap_peak_bytes").asLong() > 0 && mem.path("heap_used_peak_sampled_bytes").asLong() > 0, "peak heap");
        Assertions.assertTrue(mem.path("heap_used_peak_sampled_bytes").asLong() <= mem.path("heap_max_bytes").asLong(), "heap within -Xmx");

        JsonNode spark = j.path("spark");
        Assertions.assertTrue(spark.has("spark.sql.shuffle.partitions") && spark.has("spark.master") && spark.has("spark.sql.extensions"),
                "Spark and Delta settings: " + spark);
        Assertions.assertTrue(Files.isRegularFile(dir.resolve("work/warehouse-300.last-day")), "--night can continue from this warehouse");
    }

    @Test
    void enginesRunTheSameJobInTheirOwnJvmsAndAgree() throws Exception {
        JsonNode j = tinyBench("bench-engines-300", "bench --engines exit code (0 only when both ran and agree)",
                "--engines", "spark,duckdb");
        Assertions.assertEquals("engines", j.path("bench").asText(), "mode");
        Assertions.assertTrue(j.path("landing_rows").path("declaration_events").asLong() > 0, "landing rows counted: " + j.path("landing_rows"));
        Assertions.assertEquals(2, j.path("engines").size(), "one run per engine");
        for (JsonNode e : j.path("engines")) {
            String name = e.path("engine").asText();
            Assertions.assertEquals(0, e.path("exit_code").asInt(), name + " exit code: " + e.path("error"));
            Assertions.assertTrue(e.path("wall_seconds").asDouble() > 0, name + " wall time");
            Assertions.assertTrue(e.path("rss_peak_bytes").isNull() || e.path("rss_peak_bytes").asLong() > 0, name + " peak RSS");
            Assertions.assertEquals(4, e.path("steps").size(), name + " steps: " + e.path("steps"));
            Assertions.assertEquals(j.path("landing_rows").path("declarations").asLong(), e.path("steps").get(0).path("rows_out").asLong(),
                    name + ": every landing row of the declarations typed (rows in = rows out)");
            Assertions.assertTrue(e.path("fact_totals").path("declarations").asLong() > 0, name + " facts: " + e.path("fact_totals"));
        }
        JsonNode pair = j.path("comparison").path("pairs").get(0);
        Assertions.assertTrue(j.path("comparison").path("identical").asBoolean(), "same statistics on both engines: " + j.path("comparison"));
        Assertions.assertTrue(pair.path("stats_rows").asLong() > 0, "statistics rows compared: " + pair);
        Assertions.assertTrue(Files.isRegularFile(dir.resolve("work/engines-300/duckdb/stats/part-0.parquet")), "DuckDB's statistics kept");

        Assertions.assertEquals(1, Cw.execute("bench", "--work", dir.resolve("work").toString(), "--engines", "oracle"),
                "an unknown engine is a usage error");
    }

    /**
     * {@code ./cw bench} at 300 declarations over one week into this test's folders, with {@code extra}
     * options; asserts exit 0 and one JSON file named {@code <prefix>-<timestamp>.json}, and returns it.
     */
    private JsonNode tinyBench(String prefix, String exitMessage, String... extra) throws Exception {
        Path out = dir.resolve("out");
        List<String> args = new java.util.ArrayList<>(List.of("--set", "cw.paths.out=" + out, "bench", "--declarations", "300",
                "--from", "2020-05-04", "--to", "2020-05-10", "--work", dir.resolve("work").toString()));
        args.addAll(List.of(extra));
        Assertions.assertEquals(0, Cw.execute(args.toArray(String[]::new)), exitMessage);
        List<Path> files;
        try (Stream<Path> s = Files.list(out.resolve("bench"))) {
            files = s.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(prefix) + "-\\d{8}T\\d{6}Z\\.json")).toList();
        }
        Assertions.assertEquals(1, files.size(), "one JSON file named by N and timestamp: " + files);
        return new ObjectMapper().readTree(files.get(0).toFile());
    }

    /** A night's run as measureNight records it: exit code, wall seconds, peak RSS and one stage row. */
    private static Map<String, Object> nightRun(int exit, double wall, long rss, long rowsIn) {
        Map<String, Object> stage = new java.util.LinkedHashMap<>();
        stage.put("stage", "source:declarations");
        stage.put("table", "silver.declarations");
        stage.put("rows_in", rowsIn);
        stage.put("loaded", rowsIn);
        stage.put("quarantined", 0L);
        stage.put("seconds", wall / 5); // seconds differ between runs of the same work
        stage.put("status", "SUCCEEDED");
        Map<String, Object> run = new java.util.LinkedHashMap<>();
        run.put("exit_code", exit);
        run.put("wall_seconds", wall);
        run.put("rss_peak_bytes", rss);
        run.put("stages", List.of(stage));
        return run;
    }

    @Test
    void repeatedNightsReportTheMedianRunAndWhetherTheyDidTheSameWork() {
        var three = BenchCommand.NightRuns.of(List.of(nightRun(0, 226.0, 3L << 30, 16018), nightRun(0, 200.1, 4L << 30, 16018),
                nightRun(0, 219.5, 3L << 30, 16018)));
        Assertions.assertEquals(219.5, three.medianWall(), 1e-9, "the middle of three, not their mean (215.2)");
        Assertions.assertEquals(219.5, (Double) three.middle().get("wall_seconds"), 1e-9, "the JSON's nightly is the median run itself");
        Map<String, Object> w = three.wallSummary();
        Assertions.assertEquals(200.1, (Double) w.get("min"), 1e-9, "min: " + w);
        Assertions.assertEquals(226.0, (Double) w.get("max"), 1e-9, "max: " + w);
        Assertions.assertEquals(11.8, (Double) w.get("spread_percent"), 0.05, "spread = (max − min) / median: " + w);
        Assertions.assertEquals(4L << 30, three.peakRss(), "peak RSS is the largest of the runs");
        Assertions.assertTrue(three.sameWork(), "same stages and rows, other seconds: the same work");
        Assertions.assertEquals(0, three.exitCode(), "every run exited 0");

        var two = BenchCommand.NightRuns.of(List.of(nightRun(0, 210.0, 1, 16018), nightRun(1, 200.0, 1, 16017)));
        Assertions.assertEquals(205.0, two.medianWall(), 1e-9, "an even count: the mean of the middle two");
        Assertions.assertFalse(two.sameWork(), "a run that loaded another row count did other work: not comparable");
        Assertions.assertEquals(1, two.exitCode(), "a failed run's exit code is the bench's");
        Assertions.assertThrows(IllegalArgumentException.class, () -> BenchCommand.NightRuns.of(List.of()), "no run, no figure");

        Assertions.assertNotEquals(0, Cw.execute("bench", "--work", dir.resolve("work").toString(), "--repeat", "3"),
                "--repeat without --night is a usage error: a year is measured once");
        Assertions.assertNotEquals(0, Cw.execute("bench", "--work", dir.resolve("work").toString(), "--night", "--repeat", "0"),
                "--repeat 0 is a usage error");
    }

    @Test
    void overlappingStagesAreCountedOnce() {
        java.time.Instant t = java.time.Instant.parse("2020-01-01T00:00:00Z");
        java.util.function.BiFunction<Integer, Integer, RunLog.Entry> e = (a, b) -> new RunLog.Entry("source:x", null, 0L, 0L, 0L, -1L,
                RunLog.SUCCEEDED, null, t.plusSeconds(a), t.plusSeconds(b));
        // [0,10] and [5,12] overlap (12 s), [20,25] apart (5 s).
        Assertions.assertEquals(17.0, BenchCommand.coveredSeconds(List.of(e.apply(20, 25), e.apply(0, 10), e.apply(5, 12)), x -> true), 1e-9,
                "the union of the intervals, not their sum (22 s)");
        Assertions.assertEquals(0.0, BenchCommand.coveredSeconds(List.of(), x -> true), 1e-9, "no stage, no seconds");
    }

    @Test
    void readsTheNightlyRunSummary() {
        Instant t = Instant.parse("2020-05-11T01:00:00Z");
        var e1 = new RunLog.Entry("source:declarations", "bronze.declarations", 1500L, 1490L, 10L, 3L, RunLog.SUCCEEDED, null,
                t, t.plusMillis(2500));
        var e2 = new RunLog.Entry("source:declarations", "silver.declarations", 1490L, 1490L, 0L, 4L, RunLog.SUCCEEDED, null,
                t, t.plusMillis(2500));
        var e3 = new RunLog.Entry("reports", null, 0L, 0L, 0L, -1L, RunLog.SKIPPED, "nothing to do", t, t.plusMillis(12300));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Pipeline.printSummary(new Pipeline.Result("nightly-x", List.of(e1, e2, e3), List.of(), Set.of()),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<Map<String, Object>> rows = BenchCommand.parseSummary(buf.toString(StandardCharsets.UTF_8).lines().toList());
        Assertions.assertEquals(3, rows.size(), "one row per summary line: " + rows);
        Assertions.assertEquals(1500L, rows.get(0).get("rows_in"), "rows in");
        Assertions.assertEquals(1490L, rows.get(0).get("loaded"), "rows loaded");
        Assertions.assertEquals(10L, rows.get(0).get("quarantined"), "rows quarantined");
        Assertions.assertEquals(2.5, (Double) rows.get(0).get("seconds"), 1e-9, "seconds");
        Assertions.assertEquals("SKIPPED", rows.get(2).get("status"), "status");

        List<Map<String, Object>> totals = BenchCommand.stageTotals(List.of(e1, e2, e3));
        Assertions.assertEquals(1500L, totals.get(0).get("rows_in"), "a stage's rows in count its input once, not per table");
        Assertions.assertEquals(2.5, (Double) totals.get(0).get("seconds"), 1e-9, "tables of one run share its clock");
    }
}
