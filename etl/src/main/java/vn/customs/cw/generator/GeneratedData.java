package vn.customs.cw.generator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether a landing folder already holds the generator's output for the same parameters (demo, bench reuse it). */
public final class GeneratedData {
    private GeneratedData() {}

    public static boolean matches(Path out, DemoDataGenerator.Params p) {
        Path manifest = out.resolve("_manifest/generation.json");
        if (!Files.isRegularFile(manifest)) return false;
        try {
            Config c = ConfigFactory.parseFile(manifest.toFile());
            return c.getString("from").equals(p.from().toString())
                    && c.getString("to").equals(p.to().toString())
                    && c.getDouble("scale") == p.scale()
                    && c.getLong("seed") == p.seed()
                    && c.getDouble("bad_share") == p.badShare()
                    && c.getStringList("departments").equals(List.copyOf(p.departments()))
                    && (c.hasPath("number_block") ? c.getInt("number_block") : 0) == p.numberBlock()
                    && c.getInt("generator_version") == 1;
        } catch (RuntimeException e) {
            // An unreadable manifest (an interrupted run) means: generate again.
            return false;
        }
    }
}
