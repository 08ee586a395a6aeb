package vn.customs.cw.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `./cw report` refuses bad parameters with one clear line, a non-zero exit and no file (before Spark starts). */
class ReportCommandTest {

    private static String[] run(Path out, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] all = new String[args.length + 4];
            all[0] = "--set";
            all[1] = "cw.paths.out=" + out.getParent();
            System.arraycopy(args, 0, all, 2, args.length);
            all[all.length - 2] = "--out";
            all[all.length - 1] = out.toString();
            code = Cw.execute(all);
        } finally {
            System.setErr(old);
        }
        return new String[]{Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void badParameters(@TempDir Path dir) {
        Path out = dir.resolve("r.pdf");
        String[][] cases = {
                {"invalid period '2020-13'", "report", "reform", "--department", "20", "--period", "2020-13"},
                {"spans two years", "report", "reform", "--department", "20", "--period", "2020-11..2021-02"},
                {"unknown report 'budget'", "report", "budget", "--department", "20", "--period", "2020"},
                {"unknown language 'fr'", "report", "satisfaction", "--department", "03", "--period", "2020", "--lang", "fr"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            String[] r = run(out, args);
            assertEquals("1", r[0], "non-zero exit for " + String.join(" ", args));
            assertTrue(r[1].contains(c[0]), "stderr names the problem (" + c[0] + "): " + r[1]);
            assertFalse(Files.exists(out), "no file for " + String.join(" ", args));
        }
        String[] missing = run(out, "report", "reform", "--period", "2020");
        assertEquals("2", missing[0], "a missing required option is a usage error");
        assertTrue(missing[1].contains("--department"), "usage names the missing option: " + missing[1]);
    }
}
