package vn.customs.cw.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Argument errors fail before Spark starts; the table prints the published style of figures. */
class TrsCommandTest {

    private static String stderrOf(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1, Cw.execute(args), "exit code 1 for " + List.of(args));
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCampaignOrDepartmentIsAClearError() {
        String e = stderrOf("trs", "--campaign", "XX-2020-9");
        assertTrue(e.contains("unknown campaign 'XX-2020-9'") && e.contains("QN-2020-1"), "lists the known ids: " + e);
        e = stderrOf("trs", "--department", "99", "--period", "2020-05");
        assertTrue(e.contains("unknown department '99'") && e.contains("20"), "lists the known departments: " + e);
        e = stderrOf("trs", "--department", "20", "--period", "2020-13");
        assertTrue(e.contains("--period must be yyyy-MM or yyyy"), "bad period: " + e);
        e = stderrOf("trs", "--campaign", "QN-2020-1", "--department", "20");
        assertTrue(e.contains("either --campaign"), "both modes at once: " + e);
    }

    @Test
    void tablePrintsHmsSignedChangeAndRank() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        TrsCommand.printTable(List.of(
                new TrsCommand.Line("ALL", "IMPORT", 778, 770, 5, 3, 36348.0, 30000.0, 70000.0, 600L, 500000L,
                        0.068, -1866.0, -1866.0 / 38214 * 100, false, null, "SI_SUBMITTED→SI_RESULT AGENCY 41.0%"),
                new TrsCommand.Line("20CF", "IMPORT", 300, 300, 0, 0, 17000.0, 15000.0, 30000.0, 600L, 40000L,
                        0.1, null, null, true, 1, null)), out);
        String s = buf.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("10:05:48"), "mean as h:m:s: " + s);
        assertTrue(s.contains("\u22120:31:06 (\u22124.88%)"), "signed change and percent: " + s);
        assertTrue(s.indexOf("20CF") < s.indexOf("ALL "), "offices by rank first, the department last: " + s);
        assertTrue(s.contains("6.8%"), "customs share: " + s);
    }
}
