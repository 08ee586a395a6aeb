package vn.customs.cw.gold;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.testing.SparkTestBase;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the rules of conf/checks/gold-marts.conf on a mart's output in tests: every column named
 * exists, every SQL expression compiles, and the error-level rules hold on the hand-made data.
 * The pipeline runs the same rules after each write (DataChecks reads this file's shape); here they
 * are held to the hand-made marts of the unit tests, every expression compiled.
 */
final class MartChecks {
    private MartChecks() {}

    static Config checks() {
        return ConfigFactory.parseFile(SparkTestBase.repoRoot().resolve("conf/checks/gold-marts.conf").toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve().getConfig("checks");
    }

    static void assertChecksHold(String table, Dataset<Row> mart) {
        Config c = checks().getConfig("\"gold." + table + "\"");
        List<String> columns = Arrays.asList(mart.columns());
        List<String> key = c.getStringList("key");
        assertTrue(columns.containsAll(key), table + ": key columns " + key + " are mart columns " + columns);
        Column[] keyCols = key.stream().map(k -> col(k)).toArray(Column[]::new);
        assertEquals(0L, mart.groupBy(keyCols).count().where("count > 1").count(), table + ": key " + key + " is unique");
        for (String k : key) assertEquals(0L, mart.where(col(k).isNull()).count(), table + ": key column " + k + " not null");
        for (String n : c.hasPath("not-null") ? c.getStringList("not-null") : List.<String>of()) {
            assertTrue(columns.contains(n), table + ": not-null column " + n + " exists");
            assertEquals(0L, mart.where(col(n).isNull()).count(), table + ": " + n + " not null");
        }
        if (c.hasPath("accepted")) {
            for (Map.Entry<String, Object> e : c.getConfig("accepted").root().unwrapped().entrySet()) {
                assertTrue(columns.contains(e.getKey()), table + ": accepted column " + e.getKey() + " exists");
                Object[] values = ((List<?>) e.getValue()).toArray();
                assertEquals(0L, mart.where(col(e.getKey()).isNotNull().and(col(e.getKey()).isin(values).unary_$bang()))
                        .count(), table + ": " + e.getKey() + " in " + Arrays.toString(values));
            }
        }
        for (Config x : c.getConfigList("expressions")) {
            String name = x.getString("name"), sql = x.getString("sql"), level = x.getString("level");
            assertTrue(level.equals("error") || level.equals("warning"), table + ": " + name + ": level " + level);
            // coalesce(..., false): a rule that evaluates to null counts as broken.
            long broken = mart.where(expr("NOT coalesce((" + sql + "), false)")).count();
            if (level.equals("error")) {
                assertEquals(0L, broken, table + ": error rule '" + name + "' (" + sql + ") holds on every row");
            }
        }
    }
}
