package vn.customs.cw.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import com.holdenkarau.spark.testing.SharedJavaSparkContext;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Sparks;

import java.nio.file.Path;
import java.util.Map;

/**
 * Shared JUnit 5 base for Spark tests: one SparkContext per test JVM (spark-testing-base keeps it
 * in a static), Delta enabled, small shuffle partitions. spark-testing-base's Java base uses JUnit 4
 * hooks, so they are called from JUnit 5 ones here.
 */
public abstract class SparkTestBase extends JavaDataFrameSuiteBase {

    @BeforeEach
    public void startSpark() {
        runBefore();
    }

    @AfterAll
    public static void stopSparkAfterAll() {
        // The context is shared by the whole JVM; spark-testing-base only stops it at JVM exit
        // unless asked, so leaving it up lets the next test class reuse it. What a class left
        // behind goes: Delta keeps every table's log and snapshot (their plans) in a cache of up to
        // 10,000 paths, and each class writes its own temporary tables. Left there, they filled the
        // 3 GB heap of the whole suite (a class of gold-mart tests kept ≈ 40 MB of them).
        org.apache.spark.sql.delta.DeltaLog.clearCache();
        org.apache.spark.sql.SparkSession.getActiveSession().foreach(s -> {
            s.catalog().clearCache();
            return null;
        });
    }

    @Override
    public SparkConf conf() {
        SparkConf c = super.conf()
                .set("spark.ui.enabled", "false")
                // One JVM runs every test class: the SQL status store otherwise keeps the plan text of
                // the last 1,000 queries (release-time plans are large), and a fresh-clone run hit
                // "Java heap space" in -Xmx3g building one more plan string.
                .set("spark.sql.ui.retainedExecutions", "20")
                .set("spark.ui.retainedJobs", "100")
                .set("spark.ui.retainedStages", "100")
                // Tiny inline data: compiling generated code was a third of the CPU of these tests
                // (JFR), and interpreted expressions give the same rows (Spark tests both paths).
                // Production keeps code generation; .ci/demo-smoke and .ci/cluster-test run it.
                .set("spark.sql.codegen.wholeStage", "false")
                .set("spark.sql.codegen.factoryMode", "NO_CODEGEN")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.default.parallelism", "2")
                .set("spark.databricks.delta.snapshotPartitions", "1")
                .set("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
                .set("spark.sql.sources.partitionOverwriteMode", "dynamic")
                .set("spark.driver.host", "127.0.0.1");
        Sparks.DELTA.forEach(c::set);
        return c;
    }

    @Override
    public boolean enableHiveSupport() {
        return false;
    }

    /** The repository root (set by surefire as cw.repo.root). */
    public static Path repoRoot() {
        String r = System.getProperty("cw.repo.root");
        Path p = r == null ? Path.of("..") : Path.of(r);
        return p.toAbsolutePath().normalize();
    }

    /** The real conf/ with the paths pointed into a test folder. */
    public static CwConfig testConfig(Path dir) {
        return CwConfig.load(repoRoot(), "local", Map.of(
                "cw.paths.landing", dir.resolve("landing").toString(),
                "cw.paths.warehouse", dir.resolve("warehouse").toString(),
                "cw.paths.out", dir.resolve("out").toString(),
                "cw.paths.locks", dir.resolve("locks").toString()));
    }
}
