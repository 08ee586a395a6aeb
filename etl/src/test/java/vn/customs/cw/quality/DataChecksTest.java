package vn.customs.cw.quality;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataChecksTest extends SparkTestBase {
    @Test
    void rulesFromConfCountViolationsWithTheirLevel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("gold-test.conf"), """
                tables {
                  "gold.t" {
                    rules = [
                      { type = key, columns = [k] }
                      { type = not-null, columns = [office_code] }
                      { type = accepted-values, column = ch, values = ["1", "2", "3"], level = warning }
                      { type = reference, column = office_code, table = "silver.ref_offices", ref-column = office_code }
                      { type = expression, name = parts_add_up, sql = "counted_online + counted_in_person + counted_post = counted_total" }
                    ]
                  }
                }
                """);
        DataChecks checks = DataChecks.load(dir);
        StructType s = new StructType().add("k", DataTypes.StringType).add("office_code", DataTypes.StringType).add("ch", DataTypes.StringType)
                .add("counted_online", DataTypes.IntegerType).add("counted_in_person", DataTypes.IntegerType)
                .add("counted_post", DataTypes.IntegerType).add("counted_total", DataTypes.IntegerType);
        Dataset<Row> df = spark().createDataFrame(List.of(
                RowFactory.create("a", "20CF", "1", 1, 1, 1, 3),
                RowFactory.create("a", "99ZZ", "9", 1, 1, 1, 4),    // duplicate key, unknown office, bad channel, parts ≠ total
                RowFactory.create(null, null, null, 1, null, 1, 2)), // null key, null office, null in the sum
                s);
        Dataset<Row> offices = spark().createDataFrame(List.of(RowFactory.create("20CF")), new StructType().add("office_code", DataTypes.StringType));
        List<DataChecks.Result> rs = DataChecks.run(df, checks.rulesFor("gold.t"), t -> offices);
        Map<String, String> got = rs.stream().collect(Collectors.toMap(r -> r.rule().name(), r -> r.violations() + " " + r.status()));
        assertEquals(Map.of("key:k", "2 Failure", "not-null:office_code", "1 Failure", "accepted-values:ch", "1 Warning",
                "reference:office_code", "1 Failure", "parts_add_up", "2 Failure"), got,
                "violations per rule (nulls pass accepted-values and reference, fail key and expressions)");
    }

    @Test
    void aScopedRunChecksOnlyTheRowsThatRunWrote(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("silver-test.conf"), """
                tables { "silver.t" { rules = [ { type = key, columns = [k] }, { type = not-null, columns = [v] } ] } }
                """);
        DataChecks checks = DataChecks.load(dir);
        vn.customs.cw.spark.Warehouse wh = new vn.customs.cw.spark.Warehouse(dir.resolve("wh").toString());
        StructType s = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.StringType).add("_run_id", DataTypes.StringType);
        spark().createDataFrame(List.of(
                RowFactory.create("a", null, "old"),      // an old run's bad row
                RowFactory.create("b", "x", "new"),
                RowFactory.create("c", "y", "new")), s)
                .write().format("delta").save(wh.path(vn.customs.cw.spark.Layer.SILVER, "t"));
        Map<String, Long> scoped = checks.run(spark(), wh, "silver.t", "_run_id = 'new'").stream()
                .collect(Collectors.toMap(r -> r.rule().name(), DataChecks.Result::violations));
        assertEquals(Map.of("key:k", 0L, "not-null:v", 0L), scoped, "the run's two rows are clean; the old row is not re-checked");
        List<DataChecks.Result> whole = checks.run(spark(), wh, "silver.t", null);
        assertEquals(1L, whole.stream().filter(r -> r.rule().name().equals("not-null:v")).findFirst().orElseThrow().violations(),
                "without a scope the old row's null is found");
        assertEquals(true, checks.run(spark(), wh, "silver.t", "_run_id = 'new'").get(0).constraint().endsWith("on rows where _run_id = 'new'"),
                "the recorded constraint says which rows were checked");
    }

    @Test
    void theGoldShapeBecomesTheSameRulesAndAFileOfNeitherShapeIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("gold-test.conf"), """
                checks {
                  "gold.t" {
                    key = [k]
                    not-null = [office_code]
                    accepted { month = [1, 2, 3] }
                    expressions = [ { name = parts_add_up, sql = "a + b = total", level = warning } ]
                  }
                }
                """);
        List<CheckRule> rules = DataChecks.load(dir).rulesFor("gold.t");
        assertEquals(List.of("key:k error", "not-null:office_code error", "accepted-values:month error", "parts_add_up warning"),
                rules.stream().map(r -> r.name() + " " + r.level()).toList(), "one rule per entry, in the file's order");
        StructType s = new StructType().add("k", DataTypes.StringType).add("office_code", DataTypes.StringType)
                .add("month", DataTypes.IntegerType).add("a", DataTypes.IntegerType).add("b", DataTypes.IntegerType).add("total", DataTypes.IntegerType);
        Dataset<Row> df = spark().createDataFrame(List.of(
                RowFactory.create("x", "20CF", 1, 1, 1, 2),
                RowFactory.create("x", null, 13, 1, 1, 3)), s); // duplicate key, null office, month 13, parts ≠ total
        Map<String, Long> got = DataChecks.run(df, rules, t -> null).stream()
                .collect(Collectors.toMap(r -> r.rule().name(), DataChecks.Result::violations));
        assertEquals(Map.of("key:k", 1L, "not-null:office_code", 1L, "accepted-values:month", 1L, "parts_add_up", 1L), got,
                "an integer column's accepted values compare as their text");

        Files.writeString(dir.resolve("gold-typo.conf"), "check { \"gold.u\" { key = [k] } }\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DataChecks.load(dir));
        assertEquals(true, e.getMessage().contains("gold-typo.conf"), "a file whose rules would never run is named: " + e.getMessage());
        Files.writeString(dir.resolve("gold-typo.conf"), "checks { \"gold.u\" { keys = [k] } }\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DataChecks.load(dir));
        assertEquals(true, e.getMessage().contains("'keys'"), "an unknown entry is named: " + e.getMessage());
    }

    @Test
    void theShippedGoldRulesAreLoadedForThePipeline() {
        DataChecks checks = DataChecks.load(repoRoot().resolve("conf/checks"));
        for (String t : List.of("gold.declarations_monthly", "gold.admin_dossiers_monthly", "gold.satisfaction_followup",
                "gold.release_time_facts", "gold.release_time_intervals", "gold.release_time_monthly")) {
            assertEquals(true, checks.rulesFor(t).stream().anyMatch(r -> r.type().equals("key")),
                    t + ": the gold files' rules (the 'checks' shape) run after each write, key first");
        }
    }

    @Test
    void theShippedSilverRulesParse() {
        DataChecks checks = DataChecks.load(repoRoot().resolve("conf/checks"));
        assertEquals(true, checks.rulesFor("silver.declarations").size() >= 5, "silver.conf has rules for silver.declarations");
        assertEquals(true, checks.rulesFor("silver.declaration_milestones").stream().anyMatch(r -> r.name().equals("steps_in_order")),
                "steps-in-order check is declared");
    }
}
