package vn.customs.cw.ops;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.contracts.Clustering;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;

/**
 * The ranges a run's keys fall in, one per key prefix ({@link Clustering#prefix()}), as a predicate
 * Delta can skip files with (each file's min/max of the key). The predicate is exact for the run's
 * keys: every key lies in the range of its own prefix, so a MERGE or a read restricted with it
 * finds every row it would find without it; it only reads fewer files when the files are clustered
 * by the key.
 *
 * @param column the key column
 * @param ranges [min, max] pairs, sorted, disjoint
 */
public record KeyRanges(String column, List<String[]> ranges) {
    /** Beyond this many prefixes (a backfill of a year) adjacent ranges are merged: a longer OR buys nothing. */
    static final int MAX_RANGES = 64;

    /** One aggregate over {@code rows} (a few dozen result rows); null keys are no range. */
    public static KeyRanges of(Dataset<Row> rows, Clustering c) {
        Column key = col("`" + c.column() + "`");
        List<Row> groups = rows.where(key.isNotNull())
                .groupBy(substring(key, 1, c.prefix()).alias("p"))
                .agg(min(key).alias("lo"), max(key).alias("hi"))
                .orderBy("p").collectAsList();
        List<String[]> out = new ArrayList<>();
        int n = groups.size();
        int chunks = Math.min(n, MAX_RANGES);
        for (int i = 0; i < chunks; i++) {
            // Chunk i covers groups [i*n/chunks, (i+1)*n/chunks): consecutive prefixes, so the union is one range.
            int from = (int) ((long) i * n / chunks), to = (int) ((long) (i + 1) * n / chunks) - 1;
            out.add(new String[]{groups.get(from).getString(1), groups.get(to).getString(2)});
        }
        return new KeyRanges(c.column(), out);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The predicate on {@code alias.column} as SQL (for a MERGE condition); {@code false} when empty. */
    public String sql(String alias) {
        if (ranges.isEmpty()) return "false";
        String c = alias + ".`" + column + "`";
        return ranges.stream().map(r -> c + " BETWEEN " + quote(r[0]) + " AND " + quote(r[1]))
                .collect(Collectors.joining(" OR ", "(", ")"));
    }

    /** The predicate as a column of the table read (for a filter before a join). */
    public Column filter() {
        Column key = col("`" + column + "`");
        Column p = lit(false);
        for (String[] r : ranges) p = p.or(key.between(r[0], r[1]));
        return p;
    }

    private static String quote(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String toString() {
        return column + " in " + ranges.stream().map(r -> "[" + r[0] + ", " + r[1] + "]").collect(Collectors.joining(" ∪ "));
    }
}
