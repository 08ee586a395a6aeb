package vn.customs.cw.pipeline;

import vn.customs.cw.contracts.Source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** Writes tiny landing files for tests, at the contract's path. */
final class Landing {
    private Landing() {}

    static Path file(Path landing, Source s, LocalDate day) {
        return landing.resolve(s.landingFile(day));
    }

    /** The contract header plus the given lines, UTF-8, one record per line. */
    static void write(Path landing, Source s, LocalDate day, List<String> lines) {
        StringBuilder b = new StringBuilder(String.join(",", s.columnNames())).append('\n');
        for (String l : lines) b.append(l).append('\n');
        writeBytes(landing, s, day, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void writeBytes(Path landing, Source s, LocalDate day, byte[] bytes) {
        Path f = file(landing, s, day);
        try {
            Files.createDirectories(f.getParent());
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A declaration line: no, type, office, team, tax code, name, mode, channel, status, registered, hs, usd, vnd, items, updated. */
    static String decl(String no, String type, String office, String channel, String registeredAt, String updatedAt) {
        return String.join(",", no, type, office, "01", "5700100256", "\"Công ty TNHH Hạ Long, chi nhánh\"", "4", channel, "0",
                registeredAt, "27011210", "125430.50", "48250000", "3", updatedAt);
    }

    /** An event line: id, declaration, milestone, at, actor, office, officer, channel, recorded. */
    static String event(String no, String milestone, String at, String channel, String recordedAt) {
        return String.join(",", no + "-" + milestone, no, milestone, at, "CUSTOMS", "20CF", "CB20CF017",
                channel == null ? "" : channel, recordedAt);
    }
}
