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
 * silver.ref_calendar. The CSVs are read on the driver: they are tiny and live on the machine that
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
            Dataset<Row> df = readCsv(spark, refDir.resolve(e.getKey() + ".csv")).cache();
            long n = df.count();
            long v = Tables.overwrite(spark, ctx.warehouse(), Layer.SILVER, e.getValue(), df);
            df.unpersist();
            writes.add(TableWrite.derived("silver." + e.getValue(), n, v));
        }
        var raw = ctx.config().raw();
        LocalDate from = LocalDate.parse(raw.getString("cw.calendar.from"));
        LocalDate to = LocalDate.parse(raw.getString("cw.calendar.to"));
        if (to.isBefore(from)) throw new IllegalArgumentException("cw.calendar.to " + to + " is before cw.calendar.from " + from);
        Dataset<Row> cal = calendar(spark, from, to, readCsv(spark, refDir.resolve("holidays.csv")));
        long v = Tables.overwrite(spark, ctx.warehouse(), Layer.SILVER, "ref_calendar", cal);
        writes.add(TableWrite.derived("silver.ref_calendar", java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1, v));
        return writes;
    }
}
