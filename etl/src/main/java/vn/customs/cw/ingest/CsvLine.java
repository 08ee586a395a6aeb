package vn.customs.cw.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 parser for one physical line. The landing contract puts one record per physical line,
 * so a quoted field may not span lines: an unterminated quote is a malformed line, not a
 * continuation (which would silently swallow the next record).
 */
public final class CsvLine {
    private CsvLine() {}

    /** Thrown for a line that is not valid RFC 4180; the message says where. */
    public static final class MalformedLine extends Exception {
        public MalformedLine(String message) { super(message); }
    }

    public static List<String> parse(String line) throws MalformedLine {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0, n = line.length();
        while (true) {
            f.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') { f.append('"'); i += 2; continue; }
                        i++; closed = true; break;
                    }
                    f.append(c); i++;
                }
                if (!closed) throw new MalformedLine("unterminated quoted field " + (out.size() + 1));
                if (i < n && line.charAt(i) != ',') {
                    throw new MalformedLine("text after closing quote in field " + (out.size() + 1) + " at char " + (i + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i);
                    if (c == '"') throw new MalformedLine("quote inside unquoted field " + (out.size() + 1) + " at char " + (i + 1));
                    f.append(c); i++;
                }
            }
            out.add(f.toString());
            if (i >= n) return out;
            i++; // the comma
        }
    }
}
