package vn.customs.cw.generator;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import org.junit.jupiter.api.Assertions;

/** Generated files parse with the documented schemas (Spark CSV, FAILFAST) and keep the identities the ETL relies on. */
class GeneratedFilesContractTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void generatedFilesParseWithTheContractSchemas() throws Exception {
        CwConfig cfg = testConfig(dir);
        Path out = dir.resolve("landing");
        new DemoDataGenerator(cfg, new DemoDataGenerator.Params(LocalDate.of(2020, 5, 4), LocalDate.of(2020, 5, 6),
                0.1, 3, 0.0, out, DemoDataGenerator.allDepartments(cfg))).run();
        Map<Source, Long> counts = new HashMap<>();
        for (Source s : Source.values()) {
            Dataset<Row> df = spark().read().schema(s.schema())
                    .option("header", "true").option("enforceSchema", "false").option("mode", "FAILFAST")
                    .option("encoding", "UTF-8").option("multiLine", "false")
                    .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ssXXX").option("dateFormat", "yyyy-MM-dd")
                    .csv(out.resolve(s.folder()).toString() + "/*/*.csv");
            List<Column> aggs = new ArrayList<>(List.of(count(lit(1)).as("rows")));
            List<String> required = s.columns().stream().filter(c -> !c.nullable()).map(vn.customs.cw.contracts.Column::name).toList();
            for (String c : required) aggs.add(sum(when(col(c).isNull(), 1).otherwise(0)).as("null_" + c));
            Row r = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
            long rows = r.getLong(0);
            counts.put(s, rows);
            for (int i = 0; i < required.size(); i++) {
                Object n = r.get(i + 1);
                Assertions.assertEquals(0L, n == null ? 0L : ((Number) n).longValue(), s.folder() + "." + required.get(i) + " is required but null");
            }
        }
        System.out.println("rows parsed per source: " + counts);
        for (Source s : List.of(Source.DECLARATIONS, Source.DECLARATION_EVENTS, Source.NSW_DOSSIERS, Source.EMANIFEST,
                Source.ADMIN_DOSSIERS, Source.SATISFACTION_RATINGS, Source.REVENUE, Source.CERTIFICATES_OF_ORIGIN)) {
            Assertions.assertTrue(counts.get(s) > 0, s.folder() + " has rows in a working week");
        }

        // Identities, checked on the raw lines: numbers, directions, unique event ids, milestone order.
        Set<String> imports = new HashSet<>(), exports = new HashSet<>();
        Files.readAllLines(cfg.paths().reference().resolve("type_codes.csv")).stream().skip(1).forEach(l -> {
            String[] f = l.split(",");
            (f[1].equals("IMPORT") ? imports : exports).add(f[0]);
        });
        LandingFiles.forEach(out, Source.DECLARATIONS, r -> {
            Assertions.assertTrue(r[0].matches("[13]\\d{11}"), "12-digit number starting with 1 or 3: " + r[0]);
            Assertions.assertTrue((r[0].startsWith("1") ? imports : exports).contains(r[1]), "type code direction matches the number: " + r[0] + " " + r[1]);
        });
        Set<String> ids = new HashSet<>();
        Map<String, Map<Integer, Long>> times = new HashMap<>();
        LandingFiles.forEach(out, Source.DECLARATION_EVENTS, r -> {
            Assertions.assertTrue(ids.add(r[0]), "event_id unique: " + r[0]);
            times.computeIfAbsent(r[1], k -> new HashMap<>()).put(Milestone.valueOf(r[2]).ordinal(), LandingFiles.epoch(r[3]));
            if (Milestone.valueOf(r[2]).usualActor().name().equals("CUSTOMS")) Assertions.assertTrue(r[6] != null, "officer for customs action " + r[0]);
        });
        times.forEach((no, t) -> {
            long prev = Long.MIN_VALUE;
            for (int m = 0; m < Milestone.values().length; m++) {
                Long at = t.get(m);
                if (at == null) continue;
                Assertions.assertTrue(at >= prev, no + ": " + Milestone.values()[m] + " is out of milestone order");
                prev = at;
            }
        });
    }
}
