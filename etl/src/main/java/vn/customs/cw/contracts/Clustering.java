package vn.customs.cw.contracts;

/**
 * How a large silver table's files are laid out so that a night reads few of them: rows sorted by
 * a string key whose leading characters grow with time, and a run's keys grouped by their first
 * {@code prefix} characters into ranges that Delta's per-file min/max statistics can skip on.
 *
 * @param column the key column (a string)
 * @param prefix how many leading characters group a run's keys into one range: a late correction
 *               of an old key then adds a narrow range of its own instead of widening the night's
 */
public record Clustering(String column, int prefix) {
    public Clustering {
        if (column == null || column.isBlank()) throw new IllegalArgumentException("clustering column is blank");
        if (prefix < 1) throw new IllegalArgumentException("clustering prefix must be >= 1: " + prefix);
    }

    /**
     * VNACCS numbers: the first digit is the kind (1 import, 3 export), the next digits grow with
     * the registration day, so six characters put a night's declarations into one range per kind and
     * a few days (a single range over both kinds would span every export of the year before).
     */
    public static final Clustering DECLARATION_NO = new Clustering("declaration_no", 6);
}
