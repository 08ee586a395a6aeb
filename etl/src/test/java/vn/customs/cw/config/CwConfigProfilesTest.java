package vn.customs.cw.config;

import org.junit.jupiter.api.Test;
import vn.customs.cw.testing.SparkTestBase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The profiles in conf/profiles: what a cluster run gets from its environment, and no secret in git. */
class CwConfigProfilesTest {

    /**
     * The environment of a cluster run. HOCON resolves {@code ${?VAR}} against the configuration
     * first and the process environment second, so root-level overrides stand in for env vars.
     */
    static Map<String, Object> clusterEnv() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("CW_LANDING_URI", "s3a://cw-landing/incoming");
        env.put("CW_WAREHOUSE_URI", "hdfs://namenode:8020/cw/warehouse");
        env.put("CW_OUT_DIR", "/srv/cw/out");
        env.put("CW_LOCK_DIR", "/srv/cw/locks");
        env.put("CW_SPARK_MASTER", "spark://10.0.0.5:7077");
        env.put("CW_EXECUTOR_CORES", "2");
        env.put("CW_EXECUTOR_MEMORY", "6g");
        env.put("CW_CATALOG_IMPLEMENTATION", "hive");
        env.put("CW_METASTORE_URIS", "thrift://metastore:9083");
        env.put("CW_S3_ENDPOINT", "https://minio.internal:9000");
        env.put("AWS_ACCESS_KEY_ID", "test-access-key-id");
        env.put("AWS_SECRET_ACCESS_KEY", "test-secret-from-env");
        return env;
    }

    @Test
    void clusterProfileTakesSiteValuesFromTheEnvironment() {
        CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "cluster", clusterEnv());
        assertEquals("cluster", c.profile());
        assertEquals("s3a://cw-landing/incoming", c.paths().landing(), "object-store URIs are kept as URIs");
        assertEquals("hdfs://namenode:8020/cw/warehouse", c.paths().warehouse(), "HDFS URIs are kept as URIs");
        assertEquals(Path.of("/srv/cw/out"), c.paths().out(), "out is a local folder of the driver host");
        assertEquals(Path.of("/srv/cw/locks"), c.paths().locks());
        assertEquals("spark://10.0.0.5:7077", c.spark().master(), "CW_SPARK_MASTER overrides the default master");

        Map<String, String> s = c.spark().conf();
        assertEquals("2", s.get("spark.executor.cores"), "executor cores from CW_EXECUTOR_CORES");
        assertEquals("6g", s.get("spark.executor.memory"), "executor memory from CW_EXECUTOR_MEMORY");
        assertEquals("4", s.get("spark.executor.instances"), "unset variables keep the file's default");
        assertEquals("hive", s.get("spark.sql.catalogImplementation"));
        assertEquals("thrift://metastore:9083", s.get("spark.hadoop.hive.metastore.uris"));
        assertEquals("https://minio.internal:9000", s.get("spark.hadoop.fs.s3a.endpoint"));
        assertEquals("test-access-key-id", s.get("spark.hadoop.fs.s3a.access.key"), "S3 key from the environment");
        assertEquals("test-secret-from-env", s.get("spark.hadoop.fs.s3a.secret.key"), "S3 secret from the environment");
        assertFalse(s.containsKey("spark.hadoop.fs.s3a.session.token"),
                "a variable that is not set leaves its key out rather than setting it empty");
        assertEquals("io.delta.storage.S3SingleDriverLogStore", s.get("spark.delta.logStore.s3a.impl"));
        // The base file's settings that the profile does not name still apply.
        assertEquals("Asia/Ho_Chi_Minh", s.get("spark.sql.session.timeZone"), "base settings are inherited");
        assertEquals(168, c.maintenance().vacuumRetentionHours());
        assertTrue(vn.customs.cw.pipeline.RunContext.deletionVectors(c),
                "the national profile MERGEs with deletion vectors (a night rewrites no year of files)");
    }

    @Test
    void clusterProfileWithoutEnvironmentHasNoCredentials() {
        assumeTrue(System.getenv("AWS_SECRET_ACCESS_KEY") == null && System.getenv("CW_SPARK_MASTER") == null,
                "this machine's environment sets cluster variables");
        CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "cluster", Map.of());
        assertEquals("spark://spark-master:7077", c.spark().master(), "the default master of the profile");
        assertFalse(c.spark().conf().containsKey("spark.hadoop.fs.s3a.secret.key"), "no secret without the env");
        assertFalse(c.spark().conf().containsKey("spark.hadoop.fs.s3a.access.key"), "no key without the env");
        assertEquals("in-memory", c.spark().conf().get("spark.sql.catalogImplementation"));
    }

    @Test
    void localProfileIsTheEmbeddedDefault() {
        CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "local", Map.of());
        assertTrue(c.spark().master().startsWith("local["), "local runs Spark in-process: " + c.spark().master());
        assertTrue(Path.of(c.paths().warehouse()).isAbsolute(), "local paths resolve against CW_HOME");
        assertFalse(vn.customs.cw.pipeline.RunContext.deletionVectors(c),
                "small local runs pay for deletion vectors (an ALTER per table, more jobs per MERGE): off by default");
    }

    @Test
    void submitSettingsCarryTheProfileToSparkSubmit() {
        CwConfig c = CwConfig.load(SparkTestBase.repoRoot(), "cluster", clusterEnv());
        List<String> lines = SubmitSettings.lines(c);
        assertEquals("master=spark://10.0.0.5:7077", lines.get(0));
        assertEquals("timezone=Asia/Ho_Chi_Minh", lines.get(1));
        assertTrue(lines.contains("conf=spark.driver.memory=4g"),
                "driver memory must reach spark-submit's command line: " + lines);
        assertTrue(lines.contains("conf=spark.executor.memory=6g"), lines.toString());
        assertTrue(lines.contains("warehouse=hdfs://namenode:8020/cw/warehouse"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("test-secret-from-env") || l.contains("test-access-key-id")),
                "secrets must never reach spark-submit's command line (ps shows it): " + lines);
        // --profile and --set are read like ./cw reads them; the subcommand's options are not.
        CwConfig viaArgs = SubmitSettings.load(List.of("--profile", "local", "--set",
                "cw.spark.conf.\"spark.sql.shuffle.partitions\"=3", "sql", "--profile", "cluster"));
        assertEquals("local", viaArgs.profile(), "options after the subcommand are not ours");
        assertEquals("3", viaArgs.spark().conf().get("spark.sql.shuffle.partitions"), "--set reaches the settings");
    }

    // ---- no secret literal in any committed configuration file -------------------------------

    private static final Pattern SETTING = Pattern.compile("^\\s*(\"[^\"]+\"|[\\w.\\-]+)\\s*[=:]\\s*(.*)$");
    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "(?i)(access[._-]?key|secret|password|passwd|pwd|token|credential|private[._-]?key)");
    private static final Pattern SECRET_SHAPES = Pattern.compile(
            "(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|(?i)(password|pwd)=[^;&\\s\"]{3,}");

    /** Offending lines of one file's text: sensitive keys with a literal value, or known secret shapes. */
    static List<String> secretLiterals(String text) {
        List<String> bad = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("#") || line.strip().startsWith("//")) continue;
            if (SECRET_SHAPES.matcher(line).find()) {
                bad.add((i + 1) + ": " + line.strip());
                continue;
            }
            Matcher m = SETTING.matcher(line);
            if (!m.matches() || !SENSITIVE_KEY.matcher(m.group(1)).find()) continue;
            String value = m.group(2).replaceAll("\\s+#.*$", "").strip();
            boolean fromEnv = value.startsWith("${");
            boolean empty = value.isEmpty() || value.equals("\"\"") || value.equals("null");
            if (!fromEnv && !empty) bad.add((i + 1) + ": " + line.strip());
        }
        return bad;
    }

    @Test
    void theSecretScannerFlagsLiteralsAndLetsEnvironmentReferencesPass() {
        assertEquals(1, secretLiterals("\"spark.hadoop.fs.s3a.secret.key\" = \"wJalrXUtnFEMI/K7MDENG\"").size(),
                "a quoted literal under a secret key must be flagged");
        assertEquals(1, secretLiterals("password: hunter22").size(), "an unquoted password must be flagged");
        assertEquals(1, secretLiterals("jdbc = \"jdbc:postgresql://db/metastore?user=hive&password=s3cr3t\"").size(),
                "a password inside a URL must be flagged");
        assertEquals(1, secretLiterals("x = AKIAABCDEFGHIJKLMNOP").size(), "an AWS key id must be flagged");
        assertEquals(List.of(), secretLiterals("""
                # a comment about the secret key is fine
                "spark.hadoop.fs.s3a.secret.key" = ${?AWS_SECRET_ACCESS_KEY}
                "spark.hadoop.fs.s3a.access.key" = ""
                "spark.redaction.regex" = "(?i)secret|password|token"
                """), "environment references, empty values and non-secret keys must pass");
    }

    @Test
    void noCommittedConfigurationFileHoldsASecret() throws IOException {
        Path conf = SparkTestBase.repoRoot().resolve("conf");
        List<String> bad = new ArrayList<>();
        int files;
        try (Stream<Path> all = Files.walk(conf)) {
            List<Path> list = all.filter(Files::isRegularFile).toList();
            files = list.size();
            for (Path f : list) {
                for (String hit : secretLiterals(Files.readString(f, StandardCharsets.UTF_8))) {
                    bad.add(conf.relativize(f) + ":" + hit);
                }
            }
        }
        assertTrue(files >= 3, "conf/ should hold cw.conf and the profiles; found " + files + " files");
        assertEquals(List.of(), bad, "secrets must come from the environment (${?VAR}), never a literal in conf/");
    }
}
