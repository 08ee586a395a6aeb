package vn.customs.cw.generator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Same seed → byte-identical files; a sub-range → the same day files (the benchmark reuses data by day). */
class GeneratorDeterminismTest {

    @TempDir
    Path dir;

    private Path gen(String name, LocalDate from, LocalDate to, long seed) {
        return gen(name, from, to, seed, 0);
    }

    private Path gen(String name, LocalDate from, LocalDate to, long seed, int numberBlock) {
        CwConfig cfg = SparkTestBase.testConfig(dir);
        Path out = dir.resolve(name);
        new DemoDataGenerator(cfg, new DemoDataGenerator.Params(from, to, 0.3, seed, 0.01, out,
                DemoDataGenerator.allDepartments(cfg), numberBlock)).run();
        return out;
    }

    private static List<Path> landingFiles(Path out) throws Exception {
        try (Stream<Path> w = Files.walk(out)) {
            return w.filter(Files::isRegularFile).filter(p -> !p.startsWith(out.resolve("_manifest")))
                    .map(out::relativize).sorted().toList();
        }
    }

    @Test
    void sameSeedSameBytesAndSubRangeSameDays() throws Exception {
        LocalDate from = LocalDate.of(2020, 5, 1), to = LocalDate.of(2020, 5, 10);
        Path a = gen("a", from, to, 7), b = gen("b", from, to, 7);
        List<Path> files = landingFiles(a);
        assertEquals(10 * Source.values().length, files.size(), "one file per source and day: " + files.size());
        assertEquals(files, landingFiles(b), "the same seed writes the same files");
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), "same seed, same bytes: " + f);
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("_manifest/bad_records.csv")),
                Files.readAllBytes(b.resolve("_manifest/bad_records.csv")), "same bad records");

        Path c = gen("c", LocalDate.of(2020, 5, 4), LocalDate.of(2020, 5, 6), 7);
        List<Path> sub = landingFiles(c);
        assertEquals(3 * Source.values().length, sub.size(), "sub-range files");
        for (Path f : sub) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(c.resolve(f)),
                    "a day file does not depend on the range: " + f);
        }
        List<String> subBad = Files.readAllLines(c.resolve("_manifest/bad_records.csv"));
        List<String> allBad = Files.readAllLines(a.resolve("_manifest/bad_records.csv"));
        assertTrue(subBad.size() > 1, "the sub-range has bad records too");
        assertTrue(allBad.containsAll(subBad), "the sub-range's bad records are the full range's");

        Path d = gen("d", from, to, 8);
        long differing = 0;
        for (Path f : files) {
            if (!java.util.Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(d.resolve(f)))) differing++;
        }
        assertTrue(differing > files.size() / 2, "another seed gives other data (" + differing + " files differ)");
    }

    /** A declaration number: direction, day since 2000, department digit, sequence. */
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("(?<![0-9])([13][0-9]{5})([0-9])([0-9]{5})(?![0-9])");

    @Test
    void numberBlockOneChangesTheDeclarationNumbersAndNothingElse() throws Exception {
        LocalDate from = LocalDate.of(2020, 12, 28), to = LocalDate.of(2020, 12, 31);
        Path a = gen("block0", from, to, 7, 0), b = gen("block1", from, to, 7, 1);
        List<Path> files = landingFiles(a);
        assertEquals(files, landingFiles(b), "the same files");
        java.util.Set<String> numbers0 = new java.util.TreeSet<>(), numbers1 = new java.util.TreeSet<>();
        for (Path f : files) {
            String x = Files.readString(a.resolve(f)), y = Files.readString(b.resolve(f));
            java.util.regex.Matcher m = NUMBER.matcher(y);
            StringBuilder back = new StringBuilder();
            while (m.find()) {
                int digit = Integer.parseInt(m.group(2));
                if (f.startsWith("declarations")) {
                    assertTrue(digit >= DemoDataGenerator.NUMBER_BLOCK_SIZE, "block 1 numbers have department digit 5-9: " + m.group());
                    numbers1.add(m.group());
                }
                m.appendReplacement(back, m.group(1) + (digit - DemoDataGenerator.NUMBER_BLOCK_SIZE) + m.group(3));
            }
            m.appendTail(back);
            if (f.startsWith("declarations")) {
                java.util.regex.Matcher m0 = NUMBER.matcher(x);
                while (m0.find()) numbers0.add(m0.group());
            }
            assertEquals(x, back.toString(), f + ": with the department digit taken back, block 1 is block 0 byte for byte");
        }
        assertTrue(numbers0.size() > 100, "declarations in the range: " + numbers0.size());
        assertEquals(numbers0.size(), numbers1.size(), "as many declarations");
        numbers1.retainAll(numbers0);
        assertEquals(java.util.Set.of(), numbers1, "no number in both blocks");
        Assertions.assertThrows(IllegalArgumentException.class, () -> gen("block2", from, to, 7, 2), "only blocks 0 and 1");

        // Six departments fit the digit in block 0 (0-9), not in block 1 (5-9).
        java.util.Map<String, Integer> six = new java.util.TreeMap<>(java.util.Map.of("20", 60000, "03", 120000, "11", 20000,
                "01", 1000, "02", 1000, "04", 1000));
        CwConfig wide = CwConfig.load(SparkTestBase.repoRoot(), "local", java.util.Map.of(
                "cw.paths.warehouse", dir.resolve("wide-wh").toString(), "cw.generator.declarations-per-year", six));
        new DemoDataGenerator(wide, new DemoDataGenerator.Params(from, from, 0.3, 7, 0.0, dir.resolve("wide0"), List.of("20"), 0));
        var e = Assertions.assertThrows(IllegalArgumentException.class, () -> new DemoDataGenerator(wide,
                new DemoDataGenerator.Params(from, from, 0.3, 7, 0.0, dir.resolve("wide1"), List.of("20"), 1)));
        assertTrue(e.getMessage().contains("6 departments") && e.getMessage().contains("--number-block 1"), e.getMessage());
    }
}
