package vn.customs.cw.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The masked {@code analyst.*} views of conf/analyst_views.sql (the notebooks create the same ones
 * from the same file). Identifiers are replaced by a keyed hash; the key comes from
 * CW_PSEUDONYM_KEY so that 10-digit tax codes cannot be recovered by hashing every candidate.
 */
public final class AnalystViews {
    private AnalystViews() {}

    public static final String KEY_ENV = "CW_PSEUDONYM_KEY";
    private static final String DEMO_KEY = "demo-key-not-secret";
    private static final Pattern SOURCE = Pattern.compile("\\b((?:bronze|silver|gold|ops)\\.[a-z0-9_]+)");

    /** Creates every view whose source tables exist; returns the statements run. */
    public static List<String> create(SparkSession spark, Path sqlFile) {
        if (!Files.isRegularFile(sqlFile)) return List.of();
        String key = System.getenv().getOrDefault(KEY_ENV, "");
        if (key.isEmpty()) key = DEMO_KEY;
        String text;
        try {
            text = Files.readString(sqlFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text = text.replaceAll("--[^\n]*", "").replace("${pseudonym_key}", key.replace("'", "''"));
        Set<String> existing = new HashSet<>();
        for (Layer layer : Layer.values()) {
            if (!spark.catalog().databaseExists(layer.db())) continue;
            for (Row r : spark.sql("SHOW TABLES IN " + layer.db()).collectAsList()) {
                existing.add(layer.db() + "." + r.getString(r.fieldIndex("tableName")));
            }
        }
        spark.sql("CREATE DATABASE IF NOT EXISTS analyst");
        List<String> run = new java.util.ArrayList<>();
        for (String stmt : text.split(";\\s*\n")) {
            String s = stmt.strip();
            if (s.isEmpty()) continue;
            Matcher m = SOURCE.matcher(s);
            boolean ok = true;
            while (m.find()) ok &= existing.contains(m.group(1));
            if (ok) {
                spark.sql(s);
                run.add(s);
            }
        }
        return run;
    }
}
