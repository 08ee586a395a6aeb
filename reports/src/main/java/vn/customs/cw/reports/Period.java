package vn.customs.cw.reports;

import org.apache.spark.sql.Column;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * A reporting period: a year ({@code 2020}), a month ({@code 2020-05}) or a month range inside one
 * year ({@code 2020-01..2020-09}). Year-on-year compares the same months of the previous year.
 */
public record Period(int year, int fromMonth, int toMonth, boolean wholeYear) {
    private static final Pattern YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern RANGE = Pattern.compile("(\\d{4})-(\\d{2})\\.\\.(\\d{4})-(\\d{2})");
    static final String GRAMMAR = "expected YYYY (2020), YYYY-MM (2020-05) or YYYY-MM..YYYY-MM in one year (2020-01..2020-09)";

    public Period {
        if (year < 1990 || year > 2100) throw new IllegalArgumentException("period year out of range: " + year);
        if (fromMonth < 1 || fromMonth > 12 || toMonth < 1 || toMonth > 12 || fromMonth > toMonth)
            throw new IllegalArgumentException("invalid period months " + fromMonth + ".." + toMonth);
    }

    public static Period parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty period: " + GRAMMAR);
        String t = text.trim();
        try {
            Matcher m;
            if ((m = YEAR.matcher(t)).matches()) return new Period(Integer.parseInt(m.group(1)), 1, 12, true);
            if ((m = MONTH.matcher(t)).matches()) {
                int y = Integer.parseInt(m.group(1)), mo = Integer.parseInt(m.group(2));
                return new Period(y, mo, mo, false);
            }
            if ((m = RANGE.matcher(t)).matches()) {
                int y1 = Integer.parseInt(m.group(1)), y2 = Integer.parseInt(m.group(3));
                if (y1 != y2) throw new IllegalArgumentException("period '" + text + "' spans two years: " + GRAMMAR);
                return new Period(y1, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(4)), false);
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("period '")) throw e;
            throw new IllegalArgumentException("invalid period '" + text + "': " + e.getMessage() + "; " + GRAMMAR);
        }
        throw new IllegalArgumentException("invalid period '" + text + "': " + GRAMMAR);
    }

    public Period previousYear() {
        return new Period(year - 1, fromMonth, toMonth, wholeYear);
    }

    public LocalDate start() { return LocalDate.of(year, fromMonth, 1); }

    public LocalDate end() { return YearMonth.of(year, toMonth).atEndOfMonth(); }

    /** Canonical text, as parsed. */
    public String code() {
        if (wholeYear) return Integer.toString(year);
        if (fromMonth == toMonth) return String.format("%d-%02d", year, fromMonth);
        return String.format("%d-%02d..%d-%02d", year, fromMonth, year, toMonth);
    }

    /** Rows of a monthly gold table ({@code year}, {@code month} columns) inside the period. */
    public Column monthly() {
        return monthly("year", "month");
    }

    public Column monthly(String yearCol, String monthCol) {
        return col(yearCol).equalTo(lit(year)).and(col(monthCol).between(lit(fromMonth), lit(toMonth)));
    }

    /** Rows whose date column falls inside the period. */
    public Column dates(Column date) {
        return date.between(lit(java.sql.Date.valueOf(start())), lit(java.sql.Date.valueOf(end())));
    }
}
