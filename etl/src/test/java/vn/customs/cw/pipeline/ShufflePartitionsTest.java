package vn.customs.cw.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Shuffle partitions fitted to a batch's landing bytes, never below the configured value. */
class ShufflePartitionsTest extends SparkTestBase {

    @TempDir
    Path dir;

    static final LocalDate D1 = LocalDate.of(2020, 5, 11), D2 = LocalDate.of(2020, 5, 12);

    RunContext ctx(LocalDate from, LocalDate to, Map<String, Object> overrides) {
        Map<String, Object> o = new HashMap<>(Map.of("cw.paths.landing", dir.resolve("landing").toString(),
                "cw.paths.warehouse", dir.resolve("warehouse").toString(), "cw.paths.out", dir.resolve("out").toString(),
                "cw.paths.locks", dir.resolve("locks").toString()));
        o.putAll(overrides);
        CwConfig cfg = CwConfig.load(repoRoot(), "local", o);
        return new RunContext(spark(), cfg, new Warehouse(cfg.paths().warehouse()), "run", "test", from, to, Set.of());
    }

    @Test
    void fittedToTheBatchLandingBytes() {
        assertEquals(8, Pipeline.ShufflePartitions.fitted(0, 128L << 20, 8), "no data: the configured floor");
        assertEquals(8, Pipeline.ShufflePartitions.fitted(500L << 20, 128L << 20, 8), "4 partitions' worth stays at the floor");
        assertEquals(64, Pipeline.ShufflePartitions.fitted(8_500_000_000L, 128L << 20, 8), "a 5 M year's 8.5 GB: ceil(8.5e9 / 128 MiB) = ceil(63.3)");
        assertEquals(10_000, Pipeline.ShufflePartitions.fitted(Long.MAX_VALUE / 2, 1, 8), "capped");

        Path landing = dir.resolve("landing");
        Landing.writeBytes(landing, Source.DECLARATIONS, D1, new byte[3000]);
        Landing.writeBytes(landing, Source.DECLARATION_EVENTS, D1, new byte[2000]);
        Landing.writeBytes(landing, Source.DECLARATION_EVENTS, D2, new byte[7000]);
        assertEquals(5000, Pipeline.ShufflePartitions.landingBytes(ctx(D1, D1, Map.of())), "D1's two files only");
        assertEquals(12000, Pipeline.ShufflePartitions.landingBytes(ctx(D1, D2, Map.of())), "both days");

        String before = spark().conf().get("spark.sql.shuffle.partitions");
        try {
            spark().conf().set("spark.sql.shuffle.partitions", "8");
            RunContext small = ctx(D1, D2, Map.of("cw.etl.shuffle-partition-bytes", 1000));
            Pipeline.ShufflePartitions sp = Pipeline.ShufflePartitions.of(small);
            sp.fit(ctx(D2, D2, Map.of("cw.etl.shuffle-partition-bytes", 1000)));
            assertEquals("8", spark().conf().get("spark.sql.shuffle.partitions"), "7 KB at 1 KB each: under the session's 8, the floor");
            sp.fit(ctx(D1, D2, Map.of()));
            assertEquals("12", spark().conf().get("spark.sql.shuffle.partitions"), "12 KB at 1 KB a partition");
            sp.fit(ctx(D1, D1, Map.of()));
            assertEquals("8", spark().conf().get("spark.sql.shuffle.partitions"), "a smaller batch goes back to the floor");
            sp.fitLargest(small);
            assertEquals("12", spark().conf().get("spark.sql.shuffle.partitions"), "gold stages get the largest batch's value");
            sp.restore(small);
            assertEquals("8", spark().conf().get("spark.sql.shuffle.partitions"), "the session's own value after the run");
            assertThrows(IllegalArgumentException.class, () -> Pipeline.ShufflePartitions.of(ctx(D1, D1, Map.of("cw.etl.shuffle-partitions", "many"))),
                    "a bad setting fails fast");
        } finally {
            spark().conf().set("spark.sql.shuffle.partitions", before);
        }
    }
}
