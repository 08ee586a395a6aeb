package vn.customs.cw.generator;

import vn.customs.cw.contracts.Source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Test-side reader of generated landing files: every day file of a source, row by row. */
final class LandingFiles {
    private LandingFiles() {}

    static List<Path> files(Path out, Source s) {
        Path dir = out.resolve(s.folder());
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> w = Files.walk(dir)) {
            return w.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void forEach(Path out, Source s, Consumer<String[]> row) {
        for (Path f : files(out, s)) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String header = r.readLine();
                if (!header.equals(String.join(",", s.columnNames()))) {
                    throw new AssertionError(f + ": header is not the contract's: " + header);
                }
                for (String line; (line = r.readLine()) != null; ) row.accept(parse(line));
            } catch (IOException e) {
                throw new UncheckedIOException(f.toString(), e);
            }
        }
    }

    static List<String[]> rows(Path out, Source s) {
        List<String[]> all = new ArrayList<>();
        forEach(out, s, all::add);
        return all;
    }

    /** RFC 4180 fields of one physical line; empty field = null. */
    static String[] parse(String line) {
        List<String> f = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean q = false, wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { b.append('"'); i++; }
                else if (c == '"') q = false;
                else b.append(c);
            } else if (c == '"') {
                q = true;
                wasQuoted = true;
            } else if (c == ',') {
                f.add(b.length() == 0 && !wasQuoted ? null : b.toString());
                b.setLength(0);
                wasQuoted = false;
            } else {
                b.append(c);
            }
        }
        if (q) throw new IllegalArgumentException("unbalanced quote: " + line);
        f.add(b.length() == 0 && !wasQuoted ? null : b.toString());
        return f.toArray(String[]::new);
    }

    static long epoch(String ts) {
        return OffsetDateTime.parse(ts).toEpochSecond();
    }

    static int col(Source s, String name) {
        int i = s.columnNames().indexOf(name);
        if (i < 0) throw new IllegalArgumentException(s + " has no column " + name);
        return i;
    }
}
