package vn.customs.cw.quality;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.*;

/**
 * Declarative data checks (conf/checks/*.conf) run on a table after it is written. All the
 * row-level rules of a table are evaluated in one aggregation pass (plus one anti join per
 * reference rule); only the counts reach the driver.
 */
public final class DataChecks {
    private final Map<String, List<CheckRule>> rules;

    public static final String TABLE = "check_results";

    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("table_name", DataTypes.StringType)
            .add("check_name", DataTypes.StringType)
            .add("constraint", DataTypes.StringType)
            .add("status", DataTypes.StringType)
            .add("message", DataTypes.StringType)
            .add("checked_at", DataTypes.TimestampType);

    public DataChecks(Map<String, List<CheckRule>> rules) {
        this.rules = rules;
    }

    /**
     * Every {@code *.conf} in the folder (absent folder: no checks), in either shape: {@code tables}
     * with a list of typed {@code rules} per table (silver.conf), or {@code checks} with {@code key},
     * {@code not-null}, {@code accepted} and {@code expressions} per table (the gold files). A file
     * with neither is an error.
     */
    public static DataChecks load(Path dir) {
        Map<String, List<CheckRule>> rules = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return new DataChecks(rules);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                Config c = ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
                String origin = f.getFileName().toString();
                if (!c.hasPath("tables") && !c.hasPath("checks")) {
                    // A file the loader skipped would be rules that silently never run.
                    throw new IllegalArgumentException(origin + ": no 'tables' or 'checks' block: its rules would never run");
                }
                if (c.hasPath("tables")) {
                    Config tables = c.getConfig("tables");
                    for (String table : tables.root().keySet()) {
                        for (Config r : tables.getConfig("\"" + table + "\"").getConfigList("rules")) {
                            rules.computeIfAbsent(table, k -> new ArrayList<>()).add(CheckRule.from(table, r, origin));
                        }
                    }
                }
                if (c.hasPath("checks")) {
                    Config tables = c.getConfig("checks");
                    for (String table : tables.root().keySet()) {
                        rules.computeIfAbsent(table, k -> new ArrayList<>())
                                .addAll(CheckRule.fromShape(table, tables.getConfig("\"" + table + "\""), origin));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checks in " + dir, e);
        }
        return new DataChecks(rules);
    }

    public List<CheckRule> rulesFor(String table) {
        return rules.getOrDefault(table, List.of());
    }

    /** The outcome of one rule. */
    public record Result(CheckRule rule, String constraint, long violations, long rows) {
        public String status() {
            return violations == 0 ? "Success" : rule.isError() ? "Failure" : "Warning";
        }

        public String message() {
            return violations == 0 ? null : violations + " of " + rows + " rows violate " + constraint;
        }
    }

    /** Runs the table's rules on the whole Delta table {@code layer.table} of the warehouse. */
    public List<Result> run(SparkSession spark, Warehouse wh, String table) {
        return run(spark, wh, table, null);
    }

    /**
     * Runs the table's rules on the rows of {@code layer.table} matching {@code scope} (a Spark SQL
     * predicate: the rows a run wrote; null: every row). A key rule then proves the written rows
     * unique among themselves; against the rest of the table the MERGE on the key guarantees it.
     */
    public List<Result> run(SparkSession spark, Warehouse wh, String table, String scope) {
        List<CheckRule> rs = rulesFor(table);
        if (rs.isEmpty()) return List.of();
        String[] parts = table.split("\\.", 2);
        Layer layer = Layer.valueOf(parts[0].toUpperCase(Locale.ROOT));
        Dataset<Row> df = wh.read(spark, layer, parts[1]);
        if (scope != null) df = df.where(scope);
        List<Result> out = run(df, rs, name -> {
            String[] p = name.split("\\.", 2);
            return wh.read(spark, Layer.valueOf(p[0].toUpperCase(Locale.ROOT)), p[1]);
        });
        if (scope == null) return out;
        return out.stream().map(r -> new Result(r.rule(), r.constraint() + " on rows where " + scope, r.violations(), r.rows())).toList();
    }

    /** Runs rules on a DataFrame (pure apart from the reference lookups, which the caller supplies). */
    public static List<Result> run(Dataset<Row> df, List<CheckRule> rs, java.util.function.Function<String, Dataset<Row>> tables) {
        List<Column> aggs = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        aggs.add(count(lit(1)).alias("__rows"));
        for (int i = 0; i < rs.size(); i++) {
            CheckRule r = rs.get(i);
            Column v;
            String constraint;
            switch (r.type()) {
                case "key" -> {
                    // count(distinct) skips rows with a null key part, so rows − distinct keys =
                    // rows with a null part + rows beyond the first of each key: both violations.
                    v = count(lit(1)).minus(countDistinct(col(r.columns().get(0)),
                            r.columns().subList(1, r.columns().size()).stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)));
                    constraint = "UniquenessConstraint(" + r.columns() + ") and CompletenessConstraint(" + r.columns() + ")";
                }
                case "not-null" -> {
                    Column anyNull = lit(false);
                    for (String c : r.columns()) anyNull = anyNull.or(col(c).isNull());
                    v = sum(when(anyNull, 1).otherwise(0));
                    constraint = "CompletenessConstraint(" + r.columns() + ")";
                }
                case "accepted-values" -> {
                    String c = r.columns().get(0);
                    v = sum(when(col(c).isNotNull().and(not(col(c).cast("string").isin(r.values().toArray()))), 1).otherwise(0));
                    constraint = "ComplianceConstraint(" + c + " in " + r.values() + ")";
                }
                case "expression" -> {
                    v = sum(when(coalesce(expr(r.sql()), lit(false)), 0).otherwise(1));
                    constraint = "ComplianceConstraint(" + r.sql() + ")";
                }
                default -> {
                    v = lit(0L);
                    constraint = "ReferenceConstraint(" + r.columns().get(0) + " in " + r.refTable() + "." + r.refColumn() + ")";
                }
            }
            aggs.add(coalesce(v, lit(0L)).cast("long").alias("__r" + i));
            constraints.add(constraint);
        }
        Row counts = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).head();
        long rows = counts.getLong(0);
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            CheckRule r = rs.get(i);
            long v = counts.getLong(i + 1);
            if (r.type().equals("reference")) {
                String c = r.columns().get(0);
                Dataset<Row> ref = tables.apply(r.refTable()).select(col(r.refColumn()).alias("__ref")).distinct();
                v = df.filter(col(c).isNotNull()).join(broadcast(ref), col(c).equalTo(col("__ref")), "left_anti").count();
            }
            out.add(new Result(r, constraints.get(i), v, rows));
        }
        return out;
    }

    /** ops.check_results rows. */
    public static List<Row> toRows(String runId, String table, List<Result> results, Timestamp at) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(RowFactory.create(runId, table, r.rule().name(), r.constraint(), r.status(), r.message(), at));
        }
        return rows;
    }
}
