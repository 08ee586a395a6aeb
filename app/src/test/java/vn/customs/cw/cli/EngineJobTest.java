package vn.customs.cw.cli;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine comparison's job on Spark and on DuckDB over the same small landing, each rule on a row
 * of its own: the engines must agree with each other and with the values worked out by hand.
 */
class EngineJobTest extends SparkTestBase {

    @TempDir
    Path dir;

    private static final String DECL_HEADER = String.join(",", EngineJob.DECLARATION_COLUMNS);
    private static final String EVENT_HEADER = String.join(",", EngineJob.EVENT_COLUMNS);

    private static String decl(String no, String office, String status, String registeredAt, String updatedAt, String name) {
        return no + ",A11," + office + ",01,0100000001," + name + ",3,1," + status + "," + registeredAt + ",08045030,100.00,0,1," + updatedAt;
    }

    private static String event(String id, String no, String milestone, String at, String recordedAt) {
        return id + "," + no + "," + milestone + "," + at + ",CUSTOMS,03CC,CB1,," + recordedAt;
    }

    private Path landing() throws Exception {
        Path l = dir.resolve("landing");
        write(l.resolve("declarations/2020-02-01/declarations_20200201.csv"), DECL_HEADER,
                // Two versions: the later update moves it to 03EE. Registered 23:30 on 31 Jan in Vietnam.
                decl("107000000001", "03CC", "0", "2020-01-31T23:30:00+07:00", "2020-02-01T00:00:00+07:00", "Công ty A"),
                decl("107000000001", "03EE", "0", "2020-01-31T23:30:00+07:00", "2020-02-01T05:00:00+07:00", "Công ty A"),
                // 00:30 on 1 Feb in Vietnam is still 31 Jan in UTC: February here.
                decl("307000000002", "03CC", "0", "2020-02-01T00:30:00+07:00", "2020-02-01T00:31:00+07:00", "Công ty Đông Á"));
        write(l.resolve("declarations/2020-02-03/declarations_20200203.csv"), DECL_HEADER,
                decl("107000000003", "03CC", "0", "2020-02-03T08:00:00+07:00", "2020-02-03T08:00:00+07:00",
                        "\"Công ty \"\"Hải Phòng\"\", TNHH\""),
                decl("107000000004", "03CC", "1", "2020-02-03T08:00:00+07:00", "2020-02-03T08:00:00+07:00", "Công ty B"),
                decl("307000000005", "03CC", "0", "2020-02-04T08:00:00+07:00", "2020-02-04T08:00:00+07:00", "Công ty C"),
                decl("107000000006", "03CC", "0", "2020-02-04T08:00:00+07:00", "2020-02-04T08:00:00+07:00", "Công ty D"),
                // An unreadable registration instant: the REGISTRATION step stands in for it.
                decl("107000000007", "03CC", "0", "not-a-time", "2020-02-05T08:00:00+07:00", "Công ty E"));
        write(l.resolve("declaration_events/2020-02-01/declaration_events_20200201.csv"), EVENT_HEADER,
                event("107000000001-1", "107000000001", "REGISTRATION", "2020-01-31T23:30:00+07:00", "2020-01-31T23:30:01+07:00"),
                event("107000000001-2", "107000000001", "RELEASE", "2020-02-01T01:30:00+07:00", "2020-02-01T01:30:01+07:00"),
                // No RELEASE: released at clearance.
                event("307000000002-2", "307000000002", "CLEARANCE", "2020-02-01T01:30:00+07:00", "2020-02-01T01:30:01+07:00"));
        write(l.resolve("declaration_events/2020-02-03/declaration_events_20200203.csv"), EVENT_HEADER,
                event("107000000003-2", "107000000003", "RELEASE", "2020-02-03T10:00:00+07:00", "2020-02-03T10:00:05+07:00"),
                // The same event sent again with a corrected instant: the latest recorded wins (3,600 s, not 7,200).
                event("107000000003-2", "107000000003", "RELEASE", "2020-02-03T09:00:00+07:00", "2020-02-03T12:00:00+07:00"),
                event("107000000004-2", "107000000004", "RELEASE", "2020-02-03T09:00:00+07:00", "2020-02-03T09:00:01+07:00"),
                event("307000000005-9", "307000000005", "CANCELLATION", "2020-02-04T09:00:00+07:00", "2020-02-04T09:00:01+07:00"),
                // Released before it was registered: not finished, no release time.
                event("107000000006-2", "107000000006", "RELEASE", "2020-02-04T07:00:00+07:00", "2020-02-04T07:00:01+07:00"),
                event("107000000007-1", "107000000007", "REGISTRATION", "2020-02-05T08:00:00+07:00", "2020-02-05T08:00:01+07:00"),
                event("107000000007-2", "107000000007", "RELEASE", "2020-02-05T08:10:00+07:00", "2020-02-05T08:10:01+07:00"));
        return l;
    }

    private static void write(Path f, String header, String... rows) throws Exception {
        Files.createDirectories(f.getParent());
        Files.writeString(f, header + "\n" + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void sparkAndDuckDbComputeTheSameFactsAndStatistics() throws Exception {
        Path landing = landing();
        Path out = dir.resolve("engines");
        Map<String, Object> s, d;
        try (EngineJob.Engine e = new EngineJob.SparkEngine(spark(), false)) {
            s = EngineJob.run(e, landing, out.resolve("spark"));
        }
        try (EngineJob.Engine e = new EngineJob.DuckDbEngine(out.resolve("duckdb"), 2, 512L << 20)) {
            d = EngineJob.run(e, landing, out.resolve("duckdb"));
        }
        Assertions.assertEquals(s.get("steps").toString().replaceAll("seconds=[0-9.E-]+", ""),
                d.get("steps").toString().replaceAll("seconds=[0-9.E-]+", ""), "same rows per step on both engines");

        for (String engine : List.of("spark", "duckdb")) assertHandWorked(engine, out.resolve(engine));
        Assertions.assertEquals(s.get("fact_totals"), d.get("fact_totals"), "fact totals");
        Assertions.assertEquals(Map.of("declarations", 7L, "finished", 4L, "cancelled", 2L, "release_seconds_sum", 15000L),
                longs(s.get("fact_totals")), "fact totals by hand");
        long[] diff = EngineComparison.statsDifferences(out.resolve("spark").resolve("stats"), out.resolve("duckdb").resolve("stats"));
        Assertions.assertTrue(diff[0] > 0, "statistics rows compared: " + diff[0]);
        Assertions.assertEquals(0, diff[1], "rows only in one engine's statistics");
        Assertions.assertEquals(0, diff[2], "rows that differ");
    }

    /** The facts and statistics of the landing above, worked out by hand. */
    private static void assertHandWorked(String engine, Path dir) throws Exception {
        Map<String, String> facts = rows(dir.resolve("facts"),
                "SELECT declaration_no, concat_ws('|', office_code, direction, year, month, is_cancelled, is_finished, "
                        + "coalesce(CAST(release_seconds AS VARCHAR), '-')) FROM t");
        Assertions.assertEquals(Map.of(
                "107000000001", "03EE|IMPORT|2020|1|false|true|7200",
                "307000000002", "03CC|EXPORT|2020|2|false|true|3600",
                "107000000003", "03CC|IMPORT|2020|2|false|true|3600",
                "107000000004", "03CC|IMPORT|2020|2|true|false|-",
                "307000000005", "03CC|EXPORT|2020|2|true|false|-",
                "107000000006", "03CC|IMPORT|2020|2|false|false|-",
                "107000000007", "03CC|IMPORT|2020|2|false|true|600"), facts,
                engine + ": latest version, latest event record, clearance for a missing release, cancellations, "
                        + "release before registration, registration from the step, months in Vietnam's time");
        Map<String, String> stats = rows(dir.resolve("stats"),
                "SELECT concat_ws('/', year, month, office_code, direction), concat_ws('|', declarations, finished, cancelled, "
                        + "round(mean_seconds, 6), round(median_seconds, 6), round(p90_seconds, 6), min_seconds, max_seconds) FROM t");
        // Rounded: an engine may interpolate 3,300 as 3,299.9999999999995 (the comparison allows 1e-9 relative).
        // Finished imports of February: 3,600 and 600 s. P90 = 600 + 0.9 × 3,000 (linear interpolation).
        Assertions.assertEquals("4|2|1|2100.0|2100.0|3300.0|600|3600", stats.get("2020/2/ALL/IMPORT"), engine + ": February imports");
        Assertions.assertEquals("5|3|1|3800.0|3600.0|6480.0|600|7200", stats.get("2020/0/ALL/IMPORT"),
                engine + ": the year's imports (median of 600, 3,600, 7,200)");
        Assertions.assertEquals("1|1|0|7200.0|7200.0|7200.0|7200|7200", stats.get("2020/1/03EE/IMPORT"), engine + ": January, office 03EE");
    }

    @Test
    void polarsComputesTheSameFactsAndStatistics() throws Exception {
        Path python = repoRoot().resolve("notebooks/.venv/bin/python");
        // The Polars job runs in the notebooks' environment; .ci/demo-smoke creates it and runs
        // ./cw bench --engines duckdb,polars there. Here it runs when the environment exists.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "no notebooks environment: " + python);
        Path landing = landing();
        Path out = dir.resolve("polars");
        Process p = new ProcessBuilder(python.toString(), repoRoot().resolve("app/src/main/python/cw_engine_polars.py").toString(),
                landing.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assertions.assertEquals(0, p.waitFor(), "polars job: " + log);
        assertHandWorked("polars", out);
        Assertions.assertTrue(Files.readString(out.resolve("result.json")).contains("\"release_seconds_sum\": 15000"),
                "fact totals by hand: " + Files.readString(out.resolve("result.json")));
    }

    @Test
    void theComparisonSeesADifferentMedian() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            String row = "SELECT 2020 AS year, 2 AS month, 'ALL' AS office_code, 'IMPORT' AS direction, 4 AS declarations, 2 AS finished, "
                    + "1 AS cancelled, 2100.0 AS mean_seconds, %s AS median_seconds, 3300.0 AS p90_seconds, 600 AS min_seconds, 3600 AS max_seconds";
            Files.createDirectories(a);
            Files.createDirectories(b);
            st.execute("COPY (" + row.formatted("2100.0") + ") TO '" + EngineJob.sqlString(a.resolve("p.parquet")) + "' (FORMAT parquet)");
            st.execute("COPY (" + row.formatted("2100.5") + ") TO '" + EngineJob.sqlString(b.resolve("p.parquet")) + "' (FORMAT parquet)");
        }
        long[] diff = EngineComparison.statsDifferences(a, b);
        Assertions.assertArrayEquals(new long[]{1, 0, 1}, diff, "a median half a second apart is a difference");
        Assertions.assertArrayEquals(new long[]{1, 0, 0}, EngineComparison.statsDifferences(a, a), "the same file is no difference");
    }

    @Test
    void threadsComeFromTheLocalMaster() {
        Assertions.assertEquals(2, EngineComparison.threads("local[2]"));
        Assertions.assertEquals(1, EngineComparison.threads("local"));
        Assertions.assertEquals(Runtime.getRuntime().availableProcessors(), EngineComparison.threads("local[*]"));
        IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> EngineComparison.threads("spark://master:7077"));
        Assertions.assertTrue(e.getMessage().contains("spark://master:7077"), "the offending master in the message: " + e.getMessage());
    }

    private static Map<String, Object> longs(Object totals) {
        Map<String, Object> m = new LinkedHashMap<>();
        ((Map<?, ?>) totals).forEach((k, v) -> m.put((String) k, v == null ? null : ((Number) v).longValue()));
        return m;
    }

    /** Two-column query over the Parquet of {@code folder} (as t), read with DuckDB for both engines' outputs. */
    private static Map<String, String> rows(Path folder, String sql) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + EngineJob.sqlString(folder) + "/*.parquet')");
            try (ResultSet r = st.executeQuery(sql)) {
                while (r.next()) m.put(r.getString(1), r.getString(2));
            }
        }
        return m;
    }
}
