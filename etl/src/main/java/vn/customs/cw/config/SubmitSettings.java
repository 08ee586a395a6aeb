package vn.customs.cw.config;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bin/cw-submit} hands to spark-submit, read from the same configuration the job will
 * load: the master, the time zone and every {@code cw.spark.conf} entry of the chosen profile.
 * spark-submit needs them on its own command line because some take effect only there: in client
 * mode the driver JVM already runs when the job starts, so {@code spark.driver.memory} set by the
 * session builder would be ignored, and spark-submit always sets a master (local[*] by default),
 * so the profile's master would never be used.
 *
 * <p>Run as {@code java -cp cw-job.jar vn.customs.cw.config.SubmitSettings [cw options] [subcommand ...]}:
 * it reads {@code --profile} and {@code --set} the way {@code ./cw} does, stops at the first
 * other word, and prints {@code master=...}, {@code timezone=...}, {@code landing=...},
 * {@code warehouse=...} and one {@code conf=key=value} line per Spark setting except secrets. Plain Java, no Spark: it starts in well under a second.
 */
public final class SubmitSettings {
    private SubmitSettings() {}

    static final java.util.regex.Pattern SECRET_KEY =
            java.util.regex.Pattern.compile("(?i)secret|password|token|access[.]?key|credential");

    public static void main(String[] args) {
        CwConfig cfg = load(List.of(args));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        lines(cfg).forEach(out::println);
    }

    static CwConfig load(List<String> args) {
        String profile = System.getenv().getOrDefault(CwConfig.ENV_PROFILE, "local");
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--profile") || a.equals("--set")) {
                if (i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value");
                String v = args.get(++i);
                if (a.equals("--profile")) profile = v; else put(overrides, v);
            } else if (a.startsWith("--profile=")) {
                profile = a.substring("--profile=".length());
            } else if (a.startsWith("--set=")) {
                put(overrides, a.substring("--set=".length()));
            } else {
                break; // the subcommand: its own options are not ours
            }
        }
        return CwConfig.load(CwConfig.defaultHome(), profile, overrides);
    }

    static List<String> lines(CwConfig cfg) {
        List<String> lines = new ArrayList<>();
        lines.add("master=" + cfg.spark().master());
        lines.add("timezone=" + cfg.zone().getId());
        lines.add("landing=" + cfg.paths().landing());
        lines.add("warehouse=" + cfg.paths().warehouse());
        cfg.spark().conf().forEach((k, v) -> {
            // A command line is readable by every user of the host (ps): secrets stay off it; the
            // job's session builder sets them from the same configuration.
            if (SECRET_KEY.matcher(k).find()) return;
            if (v.contains("\n")) {
                throw new IllegalArgumentException("cw.spark.conf." + k + " contains a line break");
            }
            lines.add("conf=" + k + "=" + v);
        });
        return lines;
    }

    private static void put(Map<String, String> overrides, String kv) {
        int eq = kv.indexOf('=');
        if (eq < 1) throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + kv + "'");
        overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
