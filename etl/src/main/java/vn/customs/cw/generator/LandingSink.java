package vn.customs.cw.generator;

import vn.customs.cw.contracts.Source;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes landing files: one open writer per (source, landing day) while later records may still
 * land there, closed once the generator has moved past that day (memory stays bounded whatever the
 * range). Plants the bad records and writes their manifest.
 */
final class LandingSink implements AutoCloseable {

    private static final class DayFile {
        final OutputStream os;
        final String relative;
        long lines; // physical lines written, header included

        DayFile(OutputStream os, String relative) {
            this.os = os;
            this.relative = relative;
        }
    }

    private final Path out;
    private final LocalDate from;
    private final LocalDate to;
    private final long seed;
    private final double badShare;
    private final int offsetSeconds;
    private final Map<Source, Map<LocalDate, DayFile>> open = new EnumMap<>(Source.class);
    private final Map<Source, Long> rows = new EnumMap<>(Source.class);
    private final Map<BadKind, Long> badCounts = new EnumMap<>(BadKind.class);
    private final BufferedWriter manifest;
    private final Map<Source, int[]> columnIndex = new HashMap<>();
    private final java.util.Set<String> created = new java.util.HashSet<>();

    LandingSink(Path out, LocalDate from, LocalDate to, long seed, double badShare, int offsetSeconds) {
        this.out = out;
        this.from = from;
        this.to = to;
        this.seed = seed;
        this.badShare = badShare;
        this.offsetSeconds = offsetSeconds;
        for (Source s : Source.values()) {
            rows.put(s, 0L);
            List<String> names = s.columnNames();
            columnIndex.put(s, new int[]{names.indexOf("office_code"), names.indexOf("type_code"),
                    names.indexOf(s.updatedAtColumn()), names.indexOf("event_at"), names.indexOf("milestone")});
        }
        try {
            Path m = out.resolve("_manifest");
            Files.createDirectories(m);
            manifest = Files.newBufferedWriter(m.resolve("bad_records.csv"), StandardCharsets.UTF_8);
            manifest.write("source,file,record_no,kind\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out.resolve("_manifest"), e);
        }
    }

    /** The landing day of an instant (epoch seconds), in the source's +07:00 local time. */
    LocalDate day(long epochSecond) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochSecond + offsetSeconds, 86400));
    }

    boolean accepts(LocalDate landingDay) {
        return !landingDay.isBefore(from) && !landingDay.isAfter(to);
    }

    /** Emits a record landing on the day of {@code updatedAt}; dropped outside [from, to]. */
    void emit(Source s, long updatedAt, String[] fields) {
        emit(s, updatedAt, fields, -1);
    }

    /**
     * @param registeredAt for declaration events, the declaration's registration (epoch seconds) when it
     *                     lies inside the range, so an out-of-order step can be planted; else -1
     */
    void emit(Source s, long updatedAt, String[] fields, long registeredAt) {
        LocalDate d = day(updatedAt);
        if (!accepts(d)) return;
        DayFile f = file(s, d);
        long lineNo = f.lines + 1;
        BadKind bad = null;
        if (badShare > 0 && Rng.unit(seed, "bad", s.ordinal(), d.toEpochDay(), lineNo) < badShare) {
            bad = chooseKind(s, fields, registeredAt, Rng.unit(seed, "bad-kind", s.ordinal(), d.toEpochDay(), lineNo));
        }
        if (bad == null) {
            write(s, f, csv(fields).getBytes(StandardCharsets.UTF_8));
            return;
        }
        int[] ix = columnIndex.get(s);
        String[] g = fields.clone();
        byte[] line;
        switch (bad) {
            case MALFORMED_LINE -> {
                String l = csv(g);
                line = ("\"" + l).getBytes(StandardCharsets.UTF_8);
            }
            case WRONG_COLUMN_COUNT -> {
                String l = csv(g);
                line = ((lineNo % 2 == 0) ? l + ",EXTRA" : l.substring(0, l.lastIndexOf(',')))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case BAD_VALUE -> {
                String v = g[ix[2]];
                g[ix[2]] = BadKind.BAD_DATE + v.substring(Math.min(10, v.length()));
                line = csv(g).getBytes(StandardCharsets.UTF_8);
            }
            case UNKNOWN_OFFICE -> {
                g[ix[0]] = BadKind.UNKNOWN_OFFICE_CODE;
                line = csv(g).getBytes(StandardCharsets.UTF_8);
            }
            case UNKNOWN_TYPE_CODE -> {
                g[ix[1]] = BadKind.UNKNOWN_TYPE;
                line = csv(g).getBytes(StandardCharsets.UTF_8);
            }
            case STEP_OUT_OF_ORDER -> {
                long early = registeredAt - 1800 - (long) (Rng.unit(seed, "ooo", d.toEpochDay(), lineNo) * 9000);
                g[ix[3]] = Ts.format(early, offsetSeconds);
                line = csv(g).getBytes(StandardCharsets.UTF_8);
            }
            case NOT_UTF8 -> line = csv(g).getBytes(StandardCharsets.ISO_8859_1);
            case DUPLICATE_KEY -> {
                line = csv(g).getBytes(StandardCharsets.UTF_8);
                write(s, f, line);
            }
            default -> throw new IllegalStateException("unhandled " + bad);
        }
        write(s, f, line);
        badCounts.merge(bad, 1L, Long::sum);
        try {
            manifest.write(s.folder() + "," + f.relative + "," + f.lines + "," + bad.name() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BadKind chooseKind(Source s, String[] fields, long registeredAt, double u) {
        int[] ix = columnIndex.get(s);
        List<BadKind> kinds = new ArrayList<>(List.of(BadKind.MALFORMED_LINE, BadKind.WRONG_COLUMN_COUNT,
                BadKind.BAD_VALUE, BadKind.DUPLICATE_KEY));
        if (ix[0] >= 0) kinds.add(BadKind.UNKNOWN_OFFICE);
        if (ix[1] >= 0) kinds.add(BadKind.UNKNOWN_TYPE_CODE);
        if (s == Source.DECLARATION_EVENTS && registeredAt > 0 && !fields[ix[4]].equals("REGISTRATION")
                && !fields[ix[4]].equals("ARRIVAL")) {
            kinds.add(BadKind.STEP_OUT_OF_ORDER);
        }
        // Only a line with a Latin-1-encodable accented letter (ô in Công ty, ò in Phòng) turns into
        // bytes that are not valid UTF-8.
        for (String v : fields) {
            if (v != null && v.chars().anyMatch(c -> c >= 0xC0 && c <= 0xFF)) {
                kinds.add(BadKind.NOT_UTF8);
                break;
            }
        }
        return kinds.get((int) (u * kinds.size()));
    }

    private void write(Source s, DayFile f, byte[] line) {
        try {
            f.os.write(line);
            f.os.write('\n');
            f.lines++;
            rows.merge(s, 1L, Long::sum);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f.relative, e);
        }
    }

    private DayFile file(Source s, LocalDate d) {
        return open.computeIfAbsent(s, k -> new HashMap<>()).computeIfAbsent(d, k -> {
            String rel = s.landingFile(d);
            if (!created.add(rel)) {
                throw new IllegalStateException("landing file reopened after it was closed (a record landed "
                        + "outside the writer window): " + rel);
            }
            Path p = out.resolve(rel);
            try {
                Files.createDirectories(p.getParent());
                DayFile f = new DayFile(new BufferedOutputStream(Files.newOutputStream(p), 1 << 16), rel);
                f.os.write(String.join(",", s.columnNames()).getBytes(StandardCharsets.UTF_8));
                f.os.write('\n');
                f.lines = 1;
                return f;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + p, e);
            }
        });
    }

    /** Closes the files of days before {@code day}: nothing will land there any more. */
    void closeBefore(LocalDate day) {
        for (Map<LocalDate, DayFile> m : open.values()) {
            for (Iterator<Map.Entry<LocalDate, DayFile>> it = m.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<LocalDate, DayFile> e = it.next();
                if (e.getKey().isBefore(day)) {
                    closeQuietly(e.getValue());
                    it.remove();
                }
            }
        }
    }

    /** Every source gets a file (header only if empty) for each day of the range, so a day is never missing. */
    void touchAllDays() {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (Source s : Source.values()) {
                if (!created.contains(s.landingFile(d))) file(s, d);
            }
            closeBefore(d.plusDays(1));
        }
    }

    private static void closeQuietly(DayFile f) {
        try {
            f.os.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + f.relative, e);
        }
    }

    Map<Source, Long> rows() {
        return rows;
    }

    Map<BadKind, Long> badCounts() {
        return badCounts;
    }

    private boolean closed;

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeBefore(LocalDate.MAX);
        try {
            manifest.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180: quote a field holding a comma or a quote; a newline never belongs in a landing field. */
    static String csv(String[] fields) {
        StringBuilder b = new StringBuilder(160);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) b.append(',');
            String v = fields[i];
            if (v == null) continue;
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("landing fields are one physical line; got a newline in '" + v + "'");
            }
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
                b.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        return b.toString();
    }
}
