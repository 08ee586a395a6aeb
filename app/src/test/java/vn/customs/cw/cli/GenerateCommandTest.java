package vn.customs.cw.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.contracts.Source;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./cw generate end to end: options, files, manifest and generation.json; bad options fail with exit 1. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    @Test
    void generatesEverySourceAndTheManifest() throws Exception {
        Path out = dir.resolve("landing");
        int rc = Cw.execute("generate", "--from", "2020-05-11", "--to", "2020-05-12", "--scale", "0.05", "--seed", "5",
                "--out", out.toString(), "--bad-share", "0.01", "--departments", "20,11");
        assertEquals(0, rc, "exit code");
        for (Source s : Source.values()) {
            Path f = out.resolve(s.landingFile(LocalDate.of(2020, 5, 12)));
            assertTrue(Files.isRegularFile(f), "missing " + f);
            assertEquals(String.join(",", s.columnNames()), Files.readAllLines(f, StandardCharsets.UTF_8).get(0), "header of " + f);
        }
        String json = Files.readString(out.resolve("_manifest/generation.json"));
        assertTrue(json.contains("\"from\": \"2020-05-11\"") && json.contains("\"seed\": 5") && json.contains("\"bad_share\": 0.01")
                && json.contains("\"departments\": [\"11\", \"20\"]"), json);
        assertTrue(Files.isRegularFile(out.resolve("_manifest/bad_records.csv")), "bad-record manifest");
        assertTrue(Files.readAllLines(out.resolve(Source.DECLARATIONS.landingFile(LocalDate.of(2020, 5, 11)))).stream()
                .skip(1).allMatch(l -> l.contains(",20") || l.contains(",11") || !l.startsWith("1") && !l.startsWith("3")),
                "only the asked departments");
    }

    @Test
    void rejectsABadRange() {
        assertEquals(1, Cw.execute("generate", "--from", "2020-05-12", "--to", "2020-05-11", "--out", dir.toString()),
                "--to before --from fails");
        assertEquals(1, Cw.execute("generate", "--from", "2020-05-11", "--to", "2020-05-12", "--departments", "99",
                "--out", dir.toString()), "unknown department fails");
        assertEquals(1, Cw.execute("generate", "--from", "2020-05-11", "--to", "2020-05-12", "--number-block", "2",
                "--out", dir.toString()), "a number block other than 0 or 1 fails");
    }
}
