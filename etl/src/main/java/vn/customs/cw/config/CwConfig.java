package vn.customs.cw.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The typed view of {@code conf/cw.conf} plus the chosen profile. Everything that is a path, a
 * date, a target or a Spark setting comes from here; code never carries its own.
 */
public record CwConfig(
        Path home,
        String profile,
        ZoneId zone,
        Paths paths,
        SparkSettings spark,
        Generator generator,
        Trs trs,
        Reports reports,
        Maintenance maintenance,
        Config raw) {

    /**
     * landing and warehouse are strings because on a cluster they are URIs (s3a://, hdfs://);
     * locally they are absolute paths. out, reference and locks are always local.
     */
    public record Paths(String landing, String warehouse, Path out, Path reference, Path locks) {}

    public record SparkSettings(String appName, String master, Map<String, String> conf) {}

    public record Generator(long seed, Map<String, Integer> declarationsPerYear,
                            Map<String, Double> officeWeights, double badRecordShare) {}

    public record Targets(double importHours, double exportHours, double redChannelShare,
                          double crossBorderHours) {}

    /** Extreme values: above Q3 + k·IQR of the group. */
    public record ExtremeValues(String rule, double k, boolean excludeFromMean) {}

    public record Campaign(String id, String department, LocalDate start, int workingDays,
                           LocalDate followUpCutoff, String previous, List<String> offices) {}

    public record Trs(Targets targets, ExtremeValues extremeValues, int minDeclarationsPerOffice,
                      List<Campaign> campaigns) {
        public Campaign campaign(String id) {
            return campaigns.stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown campaign '" + id
                            + "'; conf/cw.conf defines " + campaigns.stream().map(Campaign::id).toList()));
        }
    }

    /** @param parallelDepartments departments the nightly renders side by side ({@code cw.reports.parallel-departments}, ≥ 1) */
    public record Reports(String defaultLanguage, String fontFamily, int parallelDepartments) {}

    /**
     * @param clusteredFilesPerYear how many files {@code maintain} cuts a year partition of a clustered
     *                              table into when it re-sorts it by its key: about a week of
     *                              declaration numbers per file at 52, whatever the volume, so a night's
     *                              MERGE reads the few weeks its numbers fall in
     */
    public record Maintenance(int vacuumRetentionHours, int clusteredFilesPerYear) {
        public Maintenance {
            if (clusteredFilesPerYear < 1 || clusteredFilesPerYear > 1000) {
                throw new IllegalArgumentException("cw.maintenance.clustered-files-per-year must be in 1..1000: " + clusteredFilesPerYear);
            }
        }
    }

    public static final String ENV_HOME = "CW_HOME";
    public static final String ENV_PROFILE = "CW_PROFILE";

    /** Loads with the home and profile taken from the environment (CW_HOME, CW_PROFILE). */
    public static CwConfig load() {
        return load(defaultHome(), System.getenv().getOrDefault(ENV_PROFILE, "local"), Map.of());
    }

    public static Path defaultHome() {
        String h = System.getenv(ENV_HOME);
        if (h == null) h = System.getProperty("cw.home");
        if (h == null) h = System.getProperty("cw.repo.root");
        return Path.of(h == null ? "." : h).toAbsolutePath().normalize();
    }

    /**
     * @param overrides dotted keys (e.g. {@code cw.paths.warehouse}) that win over every file; tests
     *                  and the launcher's --warehouse style options use them.
     */
    public static CwConfig load(Path home, String profile, Map<String, ?> overrides) {
        Path base = home.resolve("conf/cw.conf");
        if (!Files.isRegularFile(base)) {
            throw new IllegalStateException("configuration not found: " + base
                    + " (set CW_HOME to the repository root)");
        }
        Path profileFile = home.resolve("conf/profiles/" + profile + ".conf");
        if (!Files.isRegularFile(profileFile)) {
            throw new IllegalArgumentException("unknown profile '" + profile + "': no " + profileFile);
        }
        ConfigParseOptions strict = ConfigParseOptions.defaults().setAllowMissing(false);
        Config cfg = ConfigFactory.parseMap(quoteSparkKeys(overrides))
                .withFallback(ConfigFactory.parseFile(profileFile.toFile(), strict))
                .withFallback(ConfigFactory.parseFile(base.toFile(), strict))
                .resolve();
        return from(home, profile, cfg);
    }

    static CwConfig from(Path home, String profile, Config root) {
        Config c = root.getConfig("cw");
        Config p = c.getConfig("paths");
        Paths paths = new Paths(uriOrPath(home, p.getString("landing")), uriOrPath(home, p.getString("warehouse")),
                resolve(home, p.getString("out")), resolve(home, p.getString("reference")),
                resolve(home, p.getString("locks")));

        Config s = c.getConfig("spark");
        Map<String, String> sparkConf = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : s.getConfig("conf").entrySet()) {
            String key = unquote(e.getKey()), value = String.valueOf(e.getValue().unwrapped());
            String before = sparkConf.put(key, value);
            // HOCON keeps "spark.a.b" = x and spark.a.b = y (nested objects) as two settings, and
            // which one Spark got depended on the order of the entries: a setting silently lost.
            if (before != null && !before.equals(value)) {
                throw new IllegalArgumentException("cw.spark.conf sets " + key + " twice, to '" + before + "' and to '" + value
                        + "': write Spark keys quoted (\"" + key + "\" = ...) in every conf file");
            }
        }
        SparkSettings spark = new SparkSettings(s.getString("app-name"), s.getString("master"), sparkConf);

        Config g = c.getConfig("generator");
        Map<String, Integer> perYear = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : g.getConfig("declarations-per-year").entrySet()) {
            perYear.put(unquote(e.getKey()), ((Number) e.getValue().unwrapped()).intValue());
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : g.getConfig("office-weights").entrySet()) {
            weights.put(unquote(e.getKey()), ((Number) e.getValue().unwrapped()).doubleValue());
        }
        Generator generator = new Generator(g.getLong("seed"), perYear, weights, g.getDouble("bad-record-share"));

        Config t = c.getConfig("trs");
        Config tg = t.getConfig("targets");
        Targets targets = new Targets(tg.getDouble("import-hours"), tg.getDouble("export-hours"),
                tg.getDouble("red-channel-share"), tg.getDouble("cross-border-hours"));
        Config ev = t.getConfig("extreme-values");
        ExtremeValues extremes = new ExtremeValues(ev.getString("rule"), ev.getDouble("k"),
                ev.getBoolean("exclude-extremes-from-mean"));
        if (!extremes.rule().equals("iqr")) {
            throw new IllegalArgumentException("cw.trs.extreme-values.rule: only 'iqr' is supported, got '"
                    + extremes.rule() + "'");
        }
        List<Campaign> campaigns = new ArrayList<>();
        for (Config k : t.getConfigList("campaigns")) {
            Campaign camp = new Campaign(k.getString("id"), k.getString("department"),
                    LocalDate.parse(k.getString("start")), k.getInt("working-days"),
                    LocalDate.parse(k.getString("follow-up-cutoff")),
                    k.getIsNull("previous") ? null : k.getString("previous"),
                    k.hasPath("offices") ? List.copyOf(k.getStringList("offices")) : List.of());
            if (camp.workingDays() < 1) {
                throw new IllegalArgumentException("campaign " + camp.id() + ": working-days must be >= 1, got "
                        + camp.workingDays());
            }
            if (!camp.followUpCutoff().isAfter(camp.start())) {
                throw new IllegalArgumentException("campaign " + camp.id() + ": follow-up-cutoff "
                        + camp.followUpCutoff() + " is not after start " + camp.start());
            }
            campaigns.add(camp);
        }
        for (Campaign camp : campaigns) {
            if (camp.previous() != null && campaigns.stream().noneMatch(x -> x.id().equals(camp.previous()))) {
                throw new IllegalArgumentException("campaign " + camp.id() + ": previous campaign '"
                        + camp.previous() + "' is not defined");
            }
        }
        Trs trs = new Trs(targets, extremes, t.getInt("min-declarations-per-office"), List.copyOf(campaigns));

        Config r = c.getConfig("reports");
        int parallelDepartments = r.hasPath("parallel-departments") ? r.getInt("parallel-departments") : 1;
        if (parallelDepartments < 1) {
            throw new IllegalArgumentException("cw.reports.parallel-departments must be >= 1, got " + parallelDepartments);
        }
        Reports reports = new Reports(r.getString("default-language"), r.getString("font-family"), parallelDepartments);
        int retention = c.getInt("maintenance.vacuum-retention-hours");
        if (retention < 168) {
            throw new IllegalArgumentException("cw.maintenance.vacuum-retention-hours must be >= 168 (7 days): "
                    + "reports rely on time travel; got " + retention);
        }
        return new CwConfig(home, profile, ZoneId.of(c.getString("timezone")), paths, spark, generator, trs,
                reports, new Maintenance(retention, c.getInt("maintenance.clustered-files-per-year")), root);
    }

    private static String uriOrPath(Path home, String p) {
        Objects.requireNonNull(p);
        // Object-store or HDFS URIs are kept as they are; java.nio.Path cannot hold them.
        return p.contains("://") ? p : resolve(home, p).toString();
    }

    private static Path resolve(Path home, String p) {
        Objects.requireNonNull(p);
        if (p.contains("://")) {
            throw new IllegalArgumentException("this path must be local, got a URI: " + p);
        }
        Path path = Path.of(p);
        return (path.isAbsolute() ? path : home.resolve(path)).normalize();
    }

    static final String SPARK_CONF = "cw.spark.conf.";

    /**
     * Override keys are HOCON paths, and a Spark key has dots: {@code cw.spark.conf.spark.sql.adaptive.enabled}
     * would be the nested path spark → sql → adaptive → enabled, beside the conf files' quoted
     * {@code "spark.sql.adaptive.enabled"}. What follows {@code cw.spark.conf.} is one key, so it is
     * quoted (a key already quoted is kept).
     */
    static Map<String, ?> quoteSparkKeys(Map<String, ?> overrides) {
        Map<String, Object> out = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            String rest = k.startsWith(SPARK_CONF) ? k.substring(SPARK_CONF.length()) : null;
            out.put(rest == null || rest.isEmpty() || rest.startsWith("\"") ? k : SPARK_CONF + "\"" + rest + "\"", v);
        });
        return out;
    }

    private static String unquote(String key) {
        return key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }
}
