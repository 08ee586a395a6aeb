package vn.customs.cw.reports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * What a template is filled with: scalar parameters (already formatted for the language) and the
 * rows of the sections. A row is a map {@code section, kind, c1..c7}; {@code kind} is one of
 * {@code head} (column headings), {@code row} (figures, right-aligned), {@code text} (left-aligned),
 * {@code total}, {@code warn} (a warning across the page, never hidden) and {@code note}.
 */
public final class ReportContent {
    public static final int COLUMNS = 7;
    final Map<String, Object> params = new LinkedHashMap<>();
    final List<Map<String, ?>> rows = new ArrayList<>();
    final Map<String, List<Map<String, ?>>> charts = new LinkedHashMap<>();
    private final ResourceBundle bundle;
    private String section = "";

    ReportContent(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    String label(String key) {
        return bundle.getString(key);
    }

    String label(String key, Object... args) {
        return java.text.MessageFormat.format(bundle.getString(key).replace("'", "''"), args);
    }

    ReportContent param(String name, Object value) {
        params.put(name, value);
        return this;
    }

    /** Starts a section; its title is the bundle entry {@code key}. */
    ReportContent section(String key) {
        section = key;
        return this;
    }

    ReportContent head(String... cells) { return add("head", cells); }

    ReportContent row(String... cells) { return add("row", cells); }

    ReportContent text(String... cells) { return add("text", cells); }

    ReportContent total(String... cells) { return add("total", cells); }

    ReportContent warn(String message) { return add("warn", message); }

    ReportContent note(String message) { return add("note", message); }

    private ReportContent add(String kind, String... cells) {
        if (cells.length > COLUMNS) throw new IllegalArgumentException("a row has at most " + COLUMNS + " cells");
        Map<String, Object> r = new HashMap<>();
        r.put("section", section);
        r.put("sectionTitle", section.isEmpty() ? "" : label(section));
        r.put("kind", kind);
        for (int i = 0; i < COLUMNS; i++) r.put("c" + (i + 1), i < cells.length ? cells[i] : null);
        rows.add(r);
        return this;
    }

    /** A chart point: series, category, value (hours). */
    ReportContent chart(String chart, String series, String category, Double value) {
        Map<String, Object> p = new HashMap<>();
        p.put("series", series);
        p.put("category", category);
        p.put("value", value);
        charts.computeIfAbsent(chart, k -> new ArrayList<>()).add(p);
        return this;
    }

    public List<Map<String, ?>> rows() { return rows; }

    public Map<String, Object> params() { return params; }
}
