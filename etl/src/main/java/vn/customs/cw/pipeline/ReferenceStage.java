package vn.customs.cw.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.ingest.CsvLine;
import vn.customs.cw.ops.Tables;
import vn.customs.cw.spark.Layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;

/**
 * silver.ref_* from conf/reference (version-controlled CSVs, replaced every run) and
 * silver.ref_calendar, replaced when their source changed. The CSVs are read on the driver: they are tiny and live on the machine that
 * launches the job, not on the executors.
 */
public final class ReferenceStage implements Stage {
    /** Reference file → silver table. */
    static final Map<String, String> FILES = Map.of(
            "departments", "ref_departments", "offices", "ref_offices", "teams", "ref_teams",
            "type_codes", "ref_type_codes", "transport_modes", "ref_transport_modes",
            "channels", "ref_channels", "satisfaction_levels", "ref_satisfaction_levels");

    /** Columns that are not strings; codes such as department 03 must stay strings. */
    static final Map<String, DataType> TYPES = Map.of(
            "is_border_gate", DataTypes.BooleanType, "works_saturday", DataTypes.BooleanType,
            "is_satisfied", DataTypes.BooleanType, "needs_follow_up", DataTypes.BooleanType,
            "level", DataTypes.IntegerType, "transport_mode", DataTypes.IntegerType,
            "holiday_date", DataTypes.DateType);

    @Override
    public String name() {
        return "reference";
    }

    public static Dataset<Row> readCsv(org.apache.spark.sql.SparkSession spark, Path file) {
        return readCsv(spark, file, new long[1]);
    }

    /** @param rowCount receives the number of data rows (known on the driver: no count job) */
    static Dataset<Row> readCsv(org.apache.spark.sql.SparkSession spark, Path file, long[] rowCount) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) throw new IllegalStateException("reference file " + file + " is empty");
            List<String> header = CsvLine.parse(lines.get(0));
            StructType schema = new StructType();
            for (String h : header) schema = schema.add(h, DataTypes.StringType);
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                List<String> f = CsvLine.parse(lines.get(i));
                if (f.size() != header.size()) {
                    throw new IllegalStateException(file + " line " + (i + 1) + ": " + f.size() + " columns, expected " + header.size());
                }
                rows.add(RowFactory.create(f.toArray()));
            }
            rowCount[0] = rows.size();
            Dataset<Row> df = spark.createDataFrame(rows, schema);
            for (String h : header) {
                if (TYPES.containsKey(h)) df = df.withColumn(h, col(h).cast(TYPES.get(h)));
            }
            return df;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference file " + file, e);
        } catch (CsvLine.MalformedLine e) {
            throw new IllegalStateException(file + ": " + e.getMessage());
        }
    }

    /**
     * The calendar rule (docs/tables.md): day_of_week 1 = Monday; a working day is Mon–Fri and not a
     * holiday; a border working day is Mon–Sat and not a holiday (border gates work Saturdays).
     */
    public static Dataset<Row> calendar(org.apache.spark.sql.SparkSession spark, LocalDate from, LocalDate to, Dataset<Row> holidays) {
        Dataset<Row> days = spark.range(1).select(explode(sequence(lit(from.toString()).cast("date"), lit(to.toString()).cast("date")))
                .alias("calendar_date"));
        Dataset<Row> h = holidays.groupBy(col("holiday_date")).agg(concat_ws(", ", collect_list(col("holiday_name"))).alias("holiday_name"));
        org.apache.spark.sql.Column dow = expr("((dayofweek(calendar_date) + 5) % 7) + 1");
        return days.join(broadcast(h), days.col("calendar_date").equalTo(h.col("holiday_date")), "left")
                .select(col("calendar_date"), year(col("calendar_date")).alias("year"), month(col("calendar_date")).alias("month"),
                        dow.alias("day_of_week"), col("holiday_name").isNotNull().alias("is_holiday"), col("holiday_name"),
                        dow.leq(5).and(col("holiday_name").isNull()).alias("is_working_day"),
                        dow.leq(6).and(col("holiday_name").isNull()).alias("is_border_working_day"));
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        var spark = ctx.spark();
        Path refDir = ctx.config().paths().reference();
        List<TableWrite> writes = new ArrayList<>();
        for (var e : new java.util.TreeMap<>(FILES).entrySet()) {
            long[] n = new long[1];
            Path csv = refDir.resolve(e.getKey() + ".csv");
            Dataset<Row> df = readCsv(spark, csv, n);
            writes.add(replaceIfChanged(ctx, e.getValue(), df, n[0], fingerprint(csv)));
        }
        var raw = ctx.config().raw();
        LocalDate from = LocalDate.parse(raw.getString("cw.calendar.from"));
        LocalDate to = LocalDate.parse(raw.getString("cw.calendar.to"));
        if (to.isBefore(from)) throw new IllegalArgumentException("cw.calendar.to " + to + " is before cw.calendar.from " + from);
        Dataset<Row> cal = calendar(spark, from, to, readCsv(spark, refDir.resolve("holidays.csv")));
        writes.add(replaceIfChanged(ctx, "ref_calendar", cal, java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1,
                fingerprint(refDir.resolve("holidays.csv")) + "|" + from + "|" + to + "|" + CALENDAR_RULE_VERSION));
        return writes;
    }

    /** Bump when the calendar rule changes, so the table is rebuilt although holidays.csv did not change. */
    static final int CALENDAR_RULE_VERSION = 1;

    /**
     * Replaces the table unless it already holds this exact source (its fingerprint is kept as the
     * table property cw.source_fingerprint): eight tiny Delta commits a night cost more than the
     * rest of a small run, and an unchanged copy is the same copy.
     */
    static TableWrite replaceIfChanged(RunContext ctx, String table, Dataset<Row> df, long rows, String fingerprint) {
        var spark = ctx.spark();
        var wh = ctx.warehouse();
        String path = wh.path(Layer.SILVER, table);
        if (io.delta.tables.DeltaTable.isDeltaTable(spark, path)) {
            var snap = org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
            var conf = snap.metadata().configuration();
            if (conf.get(FINGERPRINT).isDefined() && conf.get(FINGERPRINT).get().equals(fingerprint)) {
                return TableWrite.derived("silver." + table, rows, snap.version());
            }
        }
        Tables.overwrite(spark, wh, Layer.SILVER, table, df);
        spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('" + FINGERPRINT + "' = '" + fingerprint + "')");
        return TableWrite.derived("silver." + table, rows, wh.version(spark, Layer.SILVER, table));
    }

    static final String FINGERPRINT = "cw.source_fingerprint";

    static String fingerprint(Path file) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return java.util.HexFormat.of().formatHex(h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference file " + file, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
