package vn.customs.cw.quality;

import com.typesafe.config.Config;

import java.util.List;

/**
 * One declarative data check of a table (conf/checks/*.conf; the format is documented at the top of
 * conf/checks/silver.conf).
 *
 * @param type       key | not-null | accepted-values | reference | expression
 * @param columns    key / not-null columns, or the one column of accepted-values and reference
 * @param values     accepted values
 * @param refTable   reference: {@code layer.table} whose {@code refColumn} must contain the value
 * @param sql        expression: a Spark SQL boolean that must be true on every row (NULL counts as false)
 * @param level      error (fails the stage) or warning (recorded)
 */
public record CheckRule(String table, String name, String type, List<String> columns, List<String> values,
                        String refTable, String refColumn, String sql, String level) {

    public static final List<String> TYPES = List.of("key", "not-null", "accepted-values", "reference", "expression");

    public boolean isError() {
        return level.equals("error");
    }

    /**
     * The rules of one table in the {@code checks} shape: {@code key = [..]} (one key rule),
     * {@code not-null = [..]}, {@code accepted { column = [values] }} (one accepted-values rule per
     * column) and {@code expressions = [{ name, sql, level }]}; every rule but an expression's is an error.
     */
    static List<CheckRule> fromShape(String table, Config c, String origin) {
        java.util.Set<String> known = java.util.Set.of("key", "not-null", "accepted", "expressions");
        for (String k : c.root().keySet()) {
            if (!known.contains(k)) throw new IllegalArgumentException(origin + ": unknown entry '" + k + "' in the checks of " + table + ", expected one of " + known);
        }
        List<CheckRule> out = new java.util.ArrayList<>();
        if (c.hasPath("key")) out.add(from(table, com.typesafe.config.ConfigFactory.parseMap(
                java.util.Map.of("type", "key", "columns", c.getStringList("key"))), origin));
        if (c.hasPath("not-null")) out.add(from(table, com.typesafe.config.ConfigFactory.parseMap(
                java.util.Map.of("type", "not-null", "columns", c.getStringList("not-null"))), origin));
        if (c.hasPath("accepted")) {
            Config accepted = c.getConfig("accepted");
            for (String column : accepted.root().keySet()) {
                out.add(from(table, com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("type", "accepted-values",
                        "column", column, "values", accepted.getStringList("\"" + column + "\""))), origin));
            }
        }
        if (c.hasPath("expressions")) {
            for (Config x : c.getConfigList("expressions")) out.add(from(table, x.withValue("type",
                    com.typesafe.config.ConfigValueFactory.fromAnyRef("expression")), origin));
        }
        return out;
    }

    static CheckRule from(String table, Config c, String origin) {
        String type = c.getString("type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(origin + ": check type '" + type + "' for " + table + " is not one of " + TYPES);
        }
        String level = c.hasPath("level") ? c.getString("level") : "error";
        if (!level.equals("error") && !level.equals("warning")) {
            throw new IllegalArgumentException(origin + ": level '" + level + "' for " + table + " must be error or warning");
        }
        List<String> columns = c.hasPath("columns") ? c.getStringList("columns")
                : c.hasPath("column") ? List.of(c.getString("column")) : List.of();
        List<String> values = c.hasPath("values") ? c.getStringList("values") : List.of();
        String refTable = c.hasPath("table") ? c.getString("table") : null;
        String refColumn = c.hasPath("ref-column") ? c.getString("ref-column") : (columns.isEmpty() ? null : columns.get(0));
        String sql = c.hasPath("sql") ? c.getString("sql") : null;
        boolean ok = switch (type) {
            case "key", "not-null" -> !columns.isEmpty();
            case "accepted-values" -> columns.size() == 1 && !values.isEmpty();
            case "reference" -> columns.size() == 1 && refTable != null;
            case "expression" -> sql != null;
            default -> false;
        };
        if (!ok) throw new IllegalArgumentException(origin + ": incomplete '" + type + "' check for " + table + ": " + c.root().render());
        String name = c.hasPath("name") ? c.getString("name")
                : type + (columns.isEmpty() ? "" : ":" + String.join(",", columns));
        return new CheckRule(table, name, type, List.copyOf(columns), List.copyOf(values), refTable, refColumn, sql, level);
    }
}
