package vn.customs.cw.reports;

import org.apache.spark.sql.Row;
import vn.customs.cw.spark.Layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of departments, sub-departments and teams: from the silver reference tables when the
 * warehouse has them (read at the pinned version), else from conf/reference/*.csv.
 */
public final class Reference {
    private final Map<String, String> departments = new LinkedHashMap<>();
    private final Map<String, String> offices = new LinkedHashMap<>();
    private final Map<String, String> teams = new LinkedHashMap<>();   // office|team -> name

    public Reference(Snapshot snapshot, Path referenceDir) {
        load(snapshot, referenceDir, "ref_departments", "departments.csv",
                r -> departments.put(r.get("department_code"), r.get("department_name")));
        load(snapshot, referenceDir, "ref_offices", "offices.csv",
                r -> offices.put(r.get("office_code"), r.get("office_name")));
        load(snapshot, referenceDir, "ref_teams", "teams.csv",
                r -> teams.put(r.get("office_code") + "|" + r.get("team_code"), r.get("team_name")));
    }

    public String requireDepartment(String code) {
        if (code == null || code.isBlank()) throw new IllegalArgumentException("missing --department");
        String name = departments.get(code.trim());
        if (name == null) throw new IllegalArgumentException("unknown department '" + code
                + "': known departments are " + String.join(", ", departments.keySet()));
        return name;
    }

    public String office(String code) {
        if ("ALL".equals(code)) return null;
        return offices.getOrDefault(code, code);
    }

    public String team(String office, String team) {
        return teams.getOrDefault(office + "|" + team, team);
    }

    private static void load(Snapshot snapshot, Path dir, String table, String csv,
                             java.util.function.Consumer<Map<String, String>> sink) {
        if (snapshot.exists(Layer.SILVER, table)) {
            var ds = snapshot.read(Layer.SILVER, table);
            String[] cols = ds.columns();
            for (Row r : ds.collectAsList()) {   // reference tables: tens of rows
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < cols.length; i++) m.put(cols[i], r.isNullAt(i) ? null : String.valueOf(r.get(i)));
                sink.accept(m);
            }
            return;
        }
        Path file = dir.resolve(csv);
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String[] head = lines.get(0).split(",", -1);
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] v = splitCsv(line);
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < head.length && i < v.length; i++) m.put(head[i].trim(), v[i]);
                sink.accept(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference file " + file, e);
        }
    }

    static String[] splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (q && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; } else q = !q;
            } else if (c == ',' && !q) { out.add(cur.toString()); cur.setLength(0); } else cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
