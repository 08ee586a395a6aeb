package vn.customs.cw.testing;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.quality.CheckRule;
import vn.customs.cw.quality.DataChecks;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The data-check rules shipped in conf/checks, held to a unit test's hand-made output with the very
 * evaluation the pipeline runs after each write ({@link DataChecks#run(Dataset, List, java.util.function.Function)}):
 * a column a rule names that the output lacks, or an expression that does not compile, fails the test,
 * and so does any row an error-level rule finds. Warnings are returned, not asserted.
 */
public final class ShippedChecks {
    private ShippedChecks() {}

    private static DataChecks checks;

    /** Every rule file of conf/checks, read once per test JVM. */
    public static synchronized DataChecks checks() {
        if (checks == null) checks = DataChecks.load(SparkTestBase.repoRoot().resolve("conf/checks"));
        return checks;
    }

    /**
     * Runs the rules of {@code table} (e.g. {@code gold.nsw_monthly}) on {@code df} and asserts that every
     * error-level rule holds on every row.
     *
     * @return every rule's result, warnings included
     */
    public static List<DataChecks.Result> assertErrorRulesHold(String table, Dataset<Row> df) {
        List<CheckRule> rules = checks().rulesFor(table);
        assertFalse(rules.isEmpty(), "conf/checks has rules for " + table);
        List<DataChecks.Result> results = DataChecks.run(df, rules, ref -> {
            throw new IllegalArgumentException(table + ": a reference rule reads " + ref + ", which a unit test does not have");
        });
        for (DataChecks.Result r : results) {
            if (r.rule().isError()) {
                assertEquals(0L, r.violations(), table + ": error rule '" + r.rule().name() + "' must hold: " + r.message());
            }
        }
        return results;
    }
}
