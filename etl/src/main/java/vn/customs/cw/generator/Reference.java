package vn.customs.cw.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reference data of conf/reference the generator draws codes from (so every code it emits is known). */
record Reference(Map<String, List<Office>> officesByDepartment, Map<String, List<String>> teamsByOffice,
                 List<String> importTypeCodes, List<String> exportTypeCodes, Set<LocalDate> holidays) {

    record Office(String code, String departmentCode, String name, boolean borderGate, boolean worksSaturday) {}

    static Reference load(Path dir) {
        Map<String, List<Office>> offices = new LinkedHashMap<>();
        for (String[] r : rows(dir.resolve("offices.csv"), 5)) {
            offices.computeIfAbsent(r[1], k -> new ArrayList<>())
                    .add(new Office(r[0], r[1], r[2], Boolean.parseBoolean(r[3]), Boolean.parseBoolean(r[4])));
        }
        Map<String, List<String>> teams = new LinkedHashMap<>();
        for (String[] r : rows(dir.resolve("teams.csv"), 3)) {
            teams.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r[1]);
        }
        List<String> imp = new ArrayList<>(), exp = new ArrayList<>();
        for (String[] r : rows(dir.resolve("type_codes.csv"), 3)) {
            switch (r[1]) {
                case "IMPORT" -> imp.add(r[0]);
                case "EXPORT" -> exp.add(r[0]);
                default -> throw new IllegalArgumentException("type_codes.csv: direction must be IMPORT or EXPORT, got '"
                        + r[1] + "' for " + r[0]);
            }
        }
        Set<LocalDate> holidays = new HashSet<>();
        for (String[] r : rows(dir.resolve("holidays.csv"), 2)) holidays.add(LocalDate.parse(r[0]));
        for (List<Office> os : offices.values()) {
            for (Office o : os) {
                if (!teams.containsKey(o.code())) {
                    throw new IllegalArgumentException("teams.csv has no team for office " + o.code());
                }
            }
        }
        return new Reference(offices, teams, List.copyOf(imp), List.copyOf(exp), Set.copyOf(holidays));
    }

    /** Reference files are simple: no quoted commas (names have none). */
    private static List<String[]> rows(Path f, int columns) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            List<String[]> out = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                String[] r = lines.get(i).split(",", -1);
                if (r.length != columns) {
                    throw new IllegalArgumentException(f + " line " + (i + 1) + ": expected " + columns
                            + " columns, got " + r.length + ": " + lines.get(i));
                }
                out.add(r);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference file " + f, e);
        }
    }

    /** Relative activity of a day at an office: full on working days, little on Sundays and holidays. */
    double dayFactor(Office o, LocalDate d) {
        if (holidays.contains(d)) return 0.05;
        return switch (d.getDayOfWeek()) {
            case SUNDAY -> 0.08;
            case SATURDAY -> o.worksSaturday() ? 0.75 : 0.05;
            default -> 1.0;
        };
    }

    boolean isWorkingDay(LocalDate d) {
        return !holidays.contains(d) && d.getDayOfWeek().getValue() <= 5;
    }
}
