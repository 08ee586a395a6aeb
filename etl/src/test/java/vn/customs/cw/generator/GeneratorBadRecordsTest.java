package vn.customs.cw.generator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** --bad-share plants every kind, the manifest points at each bad line, and every other line is clean. */
class GeneratorBadRecordsTest {

    @TempDir
    Path dir;

    record Entry(Source source, String file, int recordNo, BadKind kind) {}

    @Test
    void manifestListsEveryKindAndEachListedLineIsBadThatWay() throws Exception {
        CwConfig cfg = SparkTestBase.testConfig(dir);
        Path out = dir.resolve("landing");
        var summary = new DemoDataGenerator(cfg, new DemoDataGenerator.Params(LocalDate.of(2020, 5, 4), LocalDate.of(2020, 5, 9),
                0.3, 11, 0.03, out, DemoDataGenerator.allDepartments(cfg))).run();
        List<String> lines = Files.readAllLines(out.resolve("_manifest/bad_records.csv"));
        assertEquals("source,file,record_no,kind", lines.get(0), "manifest header");
        List<Entry> entries = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            entries.add(new Entry(Source.byFolder(f[0]).orElseThrow(), f[1], Integer.parseInt(f[2]), BadKind.valueOf(f[3])));
        }
        Map<BadKind, Integer> byKind = new EnumMap<>(BadKind.class);
        entries.forEach(e -> byKind.merge(e.kind(), 1, Integer::sum));
        System.out.println("bad records: " + byKind + " of " + summary.totalRows() + " rows");
        for (BadKind k : BadKind.values()) assertTrue(byKind.getOrDefault(k, 0) > 0, "no " + k + " planted: " + byKind);
        Set<String> sources = new HashSet<>();
        entries.forEach(e -> sources.add(e.source().folder()));
        assertTrue(sources.size() >= 8, "bad records are spread across sources: " + sources);
        double share = entries.size() / (double) summary.totalRows();
        assertTrue(share > 0.02 && share < 0.04, "bad share about 3%: " + share);

        Set<String> offices = new HashSet<>(), types = new HashSet<>();
        Files.readAllLines(cfg.paths().reference().resolve("offices.csv")).stream().skip(1).forEach(l -> offices.add(l.split(",")[0]));
        Files.readAllLines(cfg.paths().reference().resolve("type_codes.csv")).stream().skip(1).forEach(l -> types.add(l.split(",")[0]));

        // Registration time per declaration, from the clean lines (events and headers).
        Map<String, Long> registered = new HashMap<>();
        Map<String, Map<Integer, BadKind>> listed = new HashMap<>();
        entries.forEach(e -> listed.computeIfAbsent(e.file(), k -> new HashMap<>()).put(e.recordNo(), e.kind()));
        for (Source s : List.of(Source.DECLARATIONS, Source.DECLARATION_EVENTS)) {
            for (Path f : LandingFiles.files(out, s)) {
                Map<Integer, BadKind> bad = listed.getOrDefault(out.relativize(f).toString(), Map.of());
                List<byte[]> raw = physicalLines(f);
                for (int i = 1; i < raw.size(); i++) {
                    if (bad.containsKey(i + 1)) continue;
                    String[] r = LandingFiles.parse(new String(raw.get(i), StandardCharsets.UTF_8));
                    if (s == Source.DECLARATIONS) registered.put(r[0], OffsetDateTime.parse(r[9]).toEpochSecond());
                    else if (r[2].equals("REGISTRATION")) registered.put(r[1], OffsetDateTime.parse(r[3]).toEpochSecond());
                }
            }
        }

        int checked = 0;
        for (Source s : Source.values()) {
            List<String> header = s.columnNames();
            int office = header.indexOf("office_code"), type = header.indexOf("type_code"), upd = header.indexOf(s.updatedAtColumn());
            for (Path f : LandingFiles.files(out, s)) {
                String rel = out.relativize(f).toString();
                Map<Integer, BadKind> bad = listed.getOrDefault(rel, Map.of());
                List<byte[]> raw = physicalLines(f);
                for (int no : bad.keySet()) assertTrue(no >= 2 && no <= raw.size(), rel + ": listed line " + no + " does not exist");
                for (int i = 1; i < raw.size(); i++) {
                    int no = i + 1;
                    BadKind k = bad.get(no);
                    String what = rel + " line " + no + " (" + k + ")";
                    if (k == BadKind.NOT_UTF8) {
                        assertTrue(!validUtf8(raw.get(i)), what + " is valid UTF-8");
                        checked++;
                        continue;
                    }
                    assertTrue(validUtf8(raw.get(i)), what + " is not valid UTF-8");
                    String line = new String(raw.get(i), StandardCharsets.UTF_8);
                    if (k == BadKind.MALFORMED_LINE) {
                        assertEquals(1, line.chars().filter(c -> c == '"').count() % 2, what + ": quotes are balanced: " + line);
                        checked++;
                        continue;
                    }
                    String[] r = LandingFiles.parse(line);
                    if (k == BadKind.WRONG_COLUMN_COUNT) {
                        assertTrue(r.length != header.size(), what + ": has the right column count");
                        checked++;
                        continue;
                    }
                    assertEquals(header.size(), r.length, what + ": column count: " + line);
                    if (k == null) {
                        if (office >= 0) assertTrue(offices.contains(r[office]), what + ": unknown office in a clean line: " + line);
                        if (type >= 0) assertTrue(types.contains(r[type]), what + ": unknown type code in a clean line");
                        OffsetDateTime.parse(r[upd]);
                        continue;
                    }
                    checked++;
                    switch (k) {
                        case BAD_VALUE -> {
                            assertTrue(r[upd].startsWith(BadKind.BAD_DATE), what + ": " + r[upd]);
                            try {
                                OffsetDateTime.parse(r[upd]);
                                fail(what + ": the value parses: " + r[upd]);
                            } catch (java.time.format.DateTimeParseException expected) {
                                // the point of the bad value
                            }
                        }
                        case UNKNOWN_OFFICE -> assertTrue(!offices.contains(r[office]), what + ": office " + r[office] + " is known");
                        case UNKNOWN_TYPE_CODE -> assertTrue(!types.contains(r[type]), what + ": type " + r[type] + " is known");
                        case DUPLICATE_KEY -> assertTrue(java.util.Arrays.equals(raw.get(i), raw.get(i - 1)), what + ": not a copy of the line before");
                        case STEP_OUT_OF_ORDER -> {
                            assertEquals(Source.DECLARATION_EVENTS, s, what);
                            Long reg = registered.get(r[1]);
                            assertNotNull(reg, what + ": registration of " + r[1] + " not in the files");
                            assertTrue(!r[2].equals(Milestone.REGISTRATION.name()) && OffsetDateTime.parse(r[3]).toEpochSecond() < reg,
                                    what + ": " + r[2] + " at " + r[3] + " is not before the registration");
                        }
                        default -> fail("unexpected kind " + k);
                    }
                }
            }
        }
        assertEquals(entries.size(), checked, "every manifest entry was checked against its line");
    }

    static List<byte[]> physicalLines(Path f) throws Exception {
        byte[] all = Files.readAllBytes(f);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) out.add(java.util.Arrays.copyOfRange(all, start, all.length));
        return out;
    }

    static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
