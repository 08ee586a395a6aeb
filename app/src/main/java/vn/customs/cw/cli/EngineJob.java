package vn.customs.cw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Sparks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One engine's run of the engine comparison ({@code ./cw bench --engines}), in a JVM of its own so
 * that its wall time includes the start and its peak RSS is its own. The job is the same on every
 * engine, step by step, and so is its SQL but for the dialect (CSV reader, Parquet writer, the exact
 * percentile's name, epoch seconds):
 * <ol>
 *   <li><b>load</b>: the declarations' and the step events' landing CSV files (every day of the
 *       folder) typed column by column ({@code TRY_CAST}: an unreadable value becomes null, it does
 *       not stop the job) and written as Parquet;</li>
 *   <li><b>facts</b>: from the Parquet, the latest header version per declaration, the step events
 *       deduplicated by event_id (the latest recorded), the REGISTRATION, RELEASE, CLEARANCE and
 *       CANCELLATION instants per declaration, and one row per declaration: registration month in
 *       Vietnam's time, direction from the number, cancelled or finished, and the release time in
 *       seconds (registration → release, or clearance when there is no RELEASE), as the warehouse's
 *       release-time facts define them;</li>
 *   <li><b>stats</b>: per year × month (0 = the whole year) × office (ALL = every office) × direction,
 *       the counts, mean, <b>exact</b> median and P90 (linear interpolation on both engines), min and
 *       max of the release time.</li>
 * </ol>
 * It writes {@code result.json} into its folder: per step wall seconds and rows, and the facts'
 * totals the comparison checks. Usage: {@code EngineJob <spark|duckdb> <landing> <out> <threads> <memory-bytes>
 * <cw-home> <profile> [key=value ...]} (the profile and the {@code --set} values of the parent command: Spark
 * runs with the warehouse's own session settings).
 */
public final class EngineJob {
    private EngineJob() {}

    static final List<String> DECLARATION_COLUMNS = List.of("declaration_no", "type_code", "office_code", "team_code",
            "enterprise_tax_code", "enterprise_name", "transport_mode", "channel", "status", "registered_at", "hs_code",
            "invoice_value_usd", "tax_amount_vnd", "item_count", "updated_at");
    static final List<String> EVENT_COLUMNS = List.of("event_id", "declaration_no", "milestone", "event_at", "actor",
            "office_code", "officer_id", "channel", "recorded_at");

    /**
     * Typed columns of the declarations; {@code %s} is the engine's timestamp type. The channel stays
     * text, as in silver: VNACCS sends codes such as "3D" (red, with a digital check).
     */
    static String declarationsTyped(String timestamp) {
        return """
                SELECT declaration_no, type_code, office_code, team_code, enterprise_tax_code, enterprise_name,
                       TRY_CAST(transport_mode AS INT) AS transport_mode, channel,
                       TRY_CAST(status AS INT) AS status, TRY_CAST(registered_at AS %1$s) AS registered_at, hs_code,
                       TRY_CAST(invoice_value_usd AS DECIMAL(18,2)) AS invoice_value_usd,
                       TRY_CAST(tax_amount_vnd AS BIGINT) AS tax_amount_vnd, TRY_CAST(item_count AS INT) AS item_count,
                       TRY_CAST(updated_at AS %1$s) AS updated_at
                FROM raw_declarations""".formatted(timestamp);
    }

    static String eventsTyped(String timestamp) {
        return """
                SELECT event_id, declaration_no, milestone, TRY_CAST(event_at AS %1$s) AS event_at, actor, office_code,
                       officer_id, channel, TRY_CAST(recorded_at AS %1$s) AS recorded_at
                FROM raw_events""".formatted(timestamp);
    }

    /**
     * One row per declaration. Ties in the latest version are broken on every column the facts read,
     * so a tie can only be between rows that give the same fact. {@code %1$s} is the engine's epoch
     * seconds of a timestamp (whole seconds, floored).
     */
    static String facts(String epochSecondsOf) {
        String released = epochSecondsOf.formatted("released_at");
        String registered = epochSecondsOf.formatted("registered_at");
        return """
                WITH latest AS (
                  SELECT declaration_no, office_code, status, registered_at FROM (
                    SELECT declaration_no, office_code, status, registered_at,
                           row_number() OVER (PARTITION BY declaration_no ORDER BY updated_at DESC NULLS LAST,
                             registered_at DESC NULLS LAST, status DESC NULLS LAST, office_code DESC NULLS LAST) AS rn
                    FROM declarations WHERE declaration_no IS NOT NULL) v
                  WHERE rn = 1),
                events AS (
                  SELECT declaration_no, milestone, event_at FROM (
                    SELECT declaration_no, milestone, event_at,
                           row_number() OVER (PARTITION BY event_id ORDER BY recorded_at DESC NULLS LAST,
                             event_at DESC NULLS LAST, milestone DESC NULLS LAST, declaration_no DESC NULLS LAST) AS rn
                    FROM declaration_events WHERE event_id IS NOT NULL) v
                  WHERE rn = 1),
                steps AS (
                  SELECT declaration_no,
                         min(CASE WHEN milestone = 'REGISTRATION' THEN event_at END) AS registration_at,
                         min(CASE WHEN milestone = 'RELEASE' THEN event_at END) AS release_at,
                         min(CASE WHEN milestone = 'CLEARANCE' THEN event_at END) AS clearance_at,
                         max(CASE WHEN milestone = 'CANCELLATION' THEN 1 ELSE 0 END) AS has_cancellation
                  FROM events GROUP BY declaration_no),
                joined AS (
                  SELECT l.declaration_no, l.office_code,
                         CASE WHEN l.declaration_no LIKE '1%%' THEN 'IMPORT' WHEN l.declaration_no LIKE '3%%' THEN 'EXPORT' END AS direction,
                         coalesce(l.registered_at, s.registration_at) AS registered_at,
                         coalesce(s.release_at, s.clearance_at) AS released_at,
                         (coalesce(l.status IN (1, 2), false) OR coalesce(s.has_cancellation, 0) = 1) AS is_cancelled
                  FROM latest l LEFT JOIN steps s ON l.declaration_no = s.declaration_no)
                SELECT declaration_no, office_code, direction, year(registered_at) AS year, month(registered_at) AS month,
                       is_cancelled,
                       (NOT is_cancelled AND released_at IS NOT NULL AND released_at >= registered_at) AS is_finished,
                       CASE WHEN NOT is_cancelled AND released_at >= registered_at THEN %1$s - %2$s END AS release_seconds
                FROM joined""".formatted(released, registered);
    }

    /** {@code %1$s(x, p)} is the engine's exact percentile with linear interpolation. */
    static String stats(String percentile) {
        return """
                SELECT year,
                       CASE WHEN grouping(month) = 1 THEN 0 ELSE month END AS month,
                       CASE WHEN grouping(office_code) = 1 THEN 'ALL' ELSE office_code END AS office_code,
                       direction,
                       count(*) AS declarations, count(CASE WHEN is_finished THEN 1 END) AS finished,
                       count(CASE WHEN is_cancelled THEN 1 END) AS cancelled, avg(release_seconds) AS mean_seconds,
                       %1$s(release_seconds, 0.5) AS median_seconds, %1$s(release_seconds, 0.9) AS p90_seconds,
                       min(release_seconds) AS min_seconds, max(release_seconds) AS max_seconds
                FROM facts
                GROUP BY GROUPING SETS ((year, month, office_code, direction), (year, month, direction),
                                        (year, office_code, direction), (year, direction))""".formatted(percentile);
    }

    /** The facts' totals both engines must agree on. */
    static final String FACT_TOTALS = """
            SELECT count(*) AS declarations, count(CASE WHEN is_finished THEN 1 END) AS finished,
                   count(CASE WHEN is_cancelled THEN 1 END) AS cancelled,
                   sum(release_seconds) AS release_seconds_sum
            FROM facts""";

    interface Engine extends AutoCloseable {
        /** Rows written. */
        long load(String source, List<String> columns, String typedSql, Path landing, Path out) throws Exception;

        /** Registers the Parquet of {@code dir} as {@code name} for the next steps. */
        void view(String name, Path dir) throws Exception;

        /** Writes {@code sql}'s result as Parquet into {@code out}; rows written. */
        long write(String sql, Path out) throws Exception;

        Map<String, Object> totals(String sql) throws Exception;

        String timestamp();

        String epochSeconds();

        String percentile();

        String version();

        String name();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            throw new IllegalArgumentException("usage: EngineJob <spark|duckdb> <landing> <out> <threads> <memory-bytes> <cw-home> <profile>"
                    + " [key=value ...], got " + List.of(args));
        }
        String name = args[0];
        Path landing = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int threads = Integer.parseInt(args[3]);
        long memory = Long.parseLong(args[4]);
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 7; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("expected key=value, got '" + args[i] + "'");
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        overrides.put("cw.spark.master", "local[" + threads + "]");
        overrides.put("cw.paths.warehouse", out.resolve("_spark").toString());
        CwConfig cfg = CwConfig.load(Path.of(args[5]), args[6], overrides);
        for (String s : List.of("declarations", "declaration_events")) {
            if (!Files.isDirectory(landing.resolve(s))) throw new IllegalArgumentException("no landing folder " + landing.resolve(s));
        }
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        Map<String, Object> result;
        try (Engine e = switch (name) {
            case "spark" -> new SparkEngine(fitted(Sparks.session(cfg), cfg, landing), true);
            case "duckdb" -> new DuckDbEngine(out, threads, memory);
            default -> throw new IllegalArgumentException("unknown engine '" + name + "': spark or duckdb");
        }) {
            double session = (System.nanoTime() - t0) / 1e9;
            result = run(e, landing, out);
            result.put("session_seconds", BenchCommand.round(session));
        }
        result.put("job_seconds", BenchCommand.round((System.nanoTime() - t0) / 1e9));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("result.json").toFile(), result);
        System.out.printf(Locale.ROOT, "%s: job done in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Spark's shuffle partitions by the warehouse's own rule (cw.etl.shuffle-partitions, {@code auto}:
     * one per shuffle-partition-bytes of the two sources' landing, never fewer than the session's), so
     * that Spark is not measured with 8 partitions for 17 GB.
     */
    static SparkSession fitted(SparkSession spark, CwConfig cfg, Path landing) throws java.io.IOException {
        var rule = vn.customs.cw.pipeline.Pipeline.ShufflePartitions.of(cfg, spark);
        long bytes = 0;
        for (String s : List.of("declarations", "declaration_events")) {
            try (var files = Files.walk(landing.resolve(s))) {
                bytes += files.filter(f -> f.toString().endsWith(".csv")).mapToLong(f -> f.toFile().length()).sum();
            }
        }
        int n = rule.partitions(bytes);
        if (n > 0) {
            spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(n));
            System.out.printf(Locale.ROOT, "spark: %d shuffle partitions for %,d MiB of landing (cw.etl.shuffle-partitions)%n", n, bytes >> 20);
        }
        return spark;
    }

    /** The job's steps on {@code e}: Parquet folders under {@code out}; per step seconds and rows, and the facts' totals. */
    static Map<String, Object> run(Engine e, Path landing, Path out) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", e.name());
        result.put("version", e.version());
        List<Map<String, Object>> steps = new ArrayList<>();
        step(steps, "load declarations", () -> e.load("declarations", DECLARATION_COLUMNS, declarationsTyped(e.timestamp()),
                landing, out.resolve("declarations")));
        step(steps, "load declaration_events", () -> e.load("declaration_events", EVENT_COLUMNS, eventsTyped(e.timestamp()),
                landing, out.resolve("declaration_events")));
        e.view("declarations", out.resolve("declarations"));
        e.view("declaration_events", out.resolve("declaration_events"));
        step(steps, "facts", () -> e.write(facts(e.epochSeconds()), out.resolve("facts")));
        e.view("facts", out.resolve("facts"));
        step(steps, "stats", () -> e.write(stats(e.percentile()), out.resolve("stats")));
        result.put("steps", steps);
        result.put("fact_totals", e.totals(FACT_TOTALS));
        return result;
    }

    interface Step {
        long run() throws Exception;
    }

    private static void step(List<Map<String, Object>> steps, String name, Step s) throws Exception {
        long t = System.nanoTime();
        long rows = s.run();
        double sec = (System.nanoTime() - t) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", name);
        m.put("rows_out", rows);
        m.put("seconds", BenchCommand.round(sec));
        steps.add(m);
        System.out.printf(Locale.ROOT, "  %-26s %,12d rows %8.1f s%n", name, rows, sec);
    }

    /** Spark as the warehouse runs it: the session of conf/ (local[N], AQE, Vietnam's time zone). */
    static final class SparkEngine implements Engine {
        private final SparkSession spark;
        private final boolean owned;

        /** @param owned whether {@link #close} stops the session (not a session the caller shares) */
        SparkEngine(SparkSession spark, boolean owned) {
            this.spark = spark;
            this.owned = owned;
        }

        @Override
        public String name() {
            return "spark";
        }

        @Override
        public long load(String source, List<String> columns, String typedSql, Path landing, Path out) {
            StructType schema = new StructType();
            for (String c : columns) schema = schema.add(c, DataTypes.StringType);
            // RFC 4180 quoting as the landing files are written ("" inside quotes): Spark's default escape is a backslash.
            Dataset<Row> raw = spark.read().schema(schema).option("header", "true").option("escape", "\"")
                    .option("encoding", "UTF-8").csv(landing.resolve(source).resolve("*").resolve("*.csv").toString());
            raw.createOrReplaceTempView(source.equals("declarations") ? "raw_declarations" : "raw_events");
            spark.sql(typedSql).write().mode(SaveMode.Overwrite).parquet(out.toString());
            return spark.read().parquet(out.toString()).count();
        }

        @Override
        public void view(String name, Path dir) {
            spark.read().parquet(dir.toString()).createOrReplaceTempView(name);
        }

        @Override
        public long write(String sql, Path out) {
            spark.sql(sql).write().mode(SaveMode.Overwrite).parquet(out.toString());
            return spark.read().parquet(out.toString()).count();
        }

        @Override
        public Map<String, Object> totals(String sql) {
            Row r = spark.sql(sql).first();
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < r.length(); i++) m.put(r.schema().fields()[i].name(), r.isNullAt(i) ? null : ((Number) r.get(i)).longValue());
            return m;
        }

        @Override
        public String timestamp() {
            return "TIMESTAMP";
        }

        @Override
        public String epochSeconds() {
            return "unix_timestamp(%s)";
        }

        @Override
        public String percentile() {
            return "percentile";
        }

        @Override
        public String version() {
            return "Spark " + spark.version() + " (" + spark.sparkContext().master() + ", " + spark.conf().get("spark.sql.shuffle.partitions")
                    + " shuffle partitions)";
        }

        @Override
        public void close() {
            if (owned) spark.stop();
        }
    }

    /** DuckDB in this process (JDBC), with the same threads and the same memory as Spark's driver. */
    static final class DuckDbEngine implements Engine {
        private final Connection db;

        @Override
        public String name() {
            return "duckdb";
        }

        DuckDbEngine(Path out, int threads, long memory) throws SQLException {
            db = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = db.createStatement()) {
                s.execute("SET threads = " + threads);
                s.execute("SET memory_limit = '" + (memory >> 20) + "MB'");
                s.execute("SET temp_directory = '" + sqlString(out.resolve("_tmp")) + "'");
                // Months are Vietnam's, as in the warehouse (ICU time zones are built into the JDBC driver).
                s.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'");
                s.execute("SET preserve_insertion_order = false");
            }
        }

        @Override
        public long load(String source, List<String> columns, String typedSql, Path landing, Path out) throws Exception {
            String cols = columns.stream().map(c -> "'" + c + "': 'VARCHAR'").reduce((a, b) -> a + ", " + b).orElseThrow();
            String view = source.equals("declarations") ? "raw_declarations" : "raw_events";
            try (Statement s = db.createStatement()) {
                s.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT * FROM read_csv('"
                        + sqlString(landing.resolve(source)) + "/*/*.csv', header = true, delim = ',', quote = '\"', escape = '\"', "
                        + "auto_detect = false, columns = {" + cols + "})");
            }
            return write(typedSql, out);
        }

        @Override
        public void view(String name, Path dir) throws SQLException {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE OR REPLACE VIEW " + name + " AS SELECT * FROM read_parquet('" + sqlString(dir) + "/*.parquet')");
            }
        }

        @Override
        public long write(String sql, Path out) throws Exception {
            DemoCommand.deleteTree(out);
            Files.createDirectories(out);
            try (Statement s = db.createStatement()) {
                s.execute("COPY (" + sql + ") TO '" + sqlString(out.resolve("part-0.parquet")) + "' (FORMAT parquet, COMPRESSION snappy)");
            }
            return count(out);
        }

        private long count(Path out) throws SQLException {
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + sqlString(out) + "/*.parquet')")) {
                r.next();
                return r.getLong(1);
            }
        }

        @Override
        public Map<String, Object> totals(String sql) throws SQLException {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    Object v = r.getObject(i);
                    m.put(r.getMetaData().getColumnLabel(i), v == null ? null : ((Number) v).longValue());
                }
                return m;
            }
        }

        @Override
        public String timestamp() {
            return "TIMESTAMPTZ";
        }

        @Override
        public String epochSeconds() {
            return "CAST(floor(epoch(%s)) AS BIGINT)";
        }

        @Override
        public String percentile() {
            return "quantile_cont";
        }

        @Override
        public String version() {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version()")) {
                r.next();
                return "DuckDB " + r.getString(1) + " (in process, JDBC)";
            } catch (SQLException e) {
                return "DuckDB (version unknown: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    static String sqlString(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }
}
