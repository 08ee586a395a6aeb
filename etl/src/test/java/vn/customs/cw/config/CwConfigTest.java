package vn.customs.cw.config;

import org.junit.jupiter.api.Test;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CwConfigTest {

    @Test
    void readsTheRepositoryConfigurationIntoTypedObjects() {
        CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of());
        assertEquals("Asia/Ho_Chi_Minh", c.zone().getId());
        assertEquals(10.0, c.trs().targets().importHours(), "import target is 10 h (seed 000)");
        assertEquals(3.0, c.trs().targets().exportHours(), "export target is 3 h (seed 000)");
        assertEquals(3, c.trs().minDeclarationsPerOffice(), "the method leaves out units with fewer than 3");
        CwConfig.Campaign qn = c.trs().campaign("QN-2020-1");
        assertEquals(LocalDate.of(2020, 5, 11), qn.start());
        assertEquals("QN-2019-1", qn.previous());
        assertTrue(Path.of(c.paths().warehouse()).isAbsolute(), "relative paths resolve against the repository root");
    }

    @Test
    void overridesWinAndBadValuesFailWithTheOffendingValue() {
        CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of("cw.paths.warehouse", "/tmp/x-wh"));
        assertEquals("/tmp/x-wh", c.paths().warehouse());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of("cw.maintenance.vacuum-retention-hours", 24)));
        assertTrue(e.getMessage().contains("24"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () ->
                CwConfig.load(SparkTestBase.repoRoot(), "nosuch", Map.of()));
        assertTrue(p.getMessage().contains("nosuch"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.trs().campaign("XX-1"));
        assertEquals(2, c.reports().parallelDepartments(), "conf/cw.conf renders the departments two at a time");
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () ->
                CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of("cw.reports.parallel-departments", 0)));
        assertTrue(d.getMessage().contains("parallel-departments") && d.getMessage().contains("0"), d.getMessage());
    }

    @Test
    void aSparkSettingOverriddenWithoutQuotesWinsOverTheConfFile() {
        // conf/cw.conf sets "spark.sql.adaptive.enabled" = "true": --set must change it, quoted or not.
        for (String key : java.util.List.of("cw.spark.conf.spark.sql.adaptive.enabled", "cw.spark.conf.\"spark.sql.adaptive.enabled\"")) {
            CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of(key, "false"));
            assertEquals("false", c.spark().conf().get("spark.sql.adaptive.enabled"), "--set " + key + "=false");
        }
        CwConfig added = CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of("cw.spark.conf.spark.eventLog.enabled", "true"));
        assertEquals("true", added.spark().conf().get("spark.eventLog.enabled"), "a key the files do not have is added");
        assertFalse(added.spark().conf().containsKey("spark"), "no nested 'spark' object as a key: " + added.spark().conf().keySet());
        assertEquals("8", added.spark().conf().get("spark.sql.shuffle.partitions"), "the files' other keys stay");
    }

    @Test
    void aSparkKeyWrittenBothQuotedAndNestedInTheFilesIsAnError() {
        com.typesafe.config.Config root = com.typesafe.config.ConfigFactory.parseString(
                "cw.spark.conf { spark.sql.adaptive.enabled = false }").withFallback(
                com.typesafe.config.ConfigFactory.parseFile(SparkTestBase.repoRoot().resolve("conf/profiles/local.conf").toFile()))
                .withFallback(com.typesafe.config.ConfigFactory.parseFile(SparkTestBase.repoRoot().resolve("conf/cw.conf").toFile())).resolve();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CwConfig.from(SparkTestBase.repoRoot(), "local", root));
        assertTrue(e.getMessage().contains("spark.sql.adaptive.enabled") && e.getMessage().contains("quoted"), e.getMessage());
    }
}
