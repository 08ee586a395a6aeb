package vn.customs.cw.pipeline;

/**
 * One table written by a stage, for the run log. For every source and run:
 * rowsIn = rowsLoaded + rowsQuarantined (checked by the run log).
 *
 * @param table   {@code layer.table}
 * @param version Delta version this write committed (-1 when nothing was committed)
 * @param checkScope a Spark SQL predicate selecting the rows this write produced (the run's
 *                   {@code _run_id}, the replaced partitions), on which the data checks run; null:
 *                   the whole table. A nightly run must not re-check years of history it did not touch.
 */
public record TableWrite(String table, long rowsIn, long rowsLoaded, long rowsQuarantined, long version, String checkScope) {
    public TableWrite {
        if (rowsIn != rowsLoaded + rowsQuarantined) {
            throw new IllegalStateException(table + ": rows in (" + rowsIn + ") != loaded (" + rowsLoaded
                    + ") + quarantined (" + rowsQuarantined + ")");
        }
    }

    public TableWrite(String table, long rowsIn, long rowsLoaded, long rowsQuarantined, long version) {
        this(table, rowsIn, rowsLoaded, rowsQuarantined, version, null);
    }

    /** The same write, its data checks restricted to the rows matching {@code predicate}. */
    public TableWrite scoped(String predicate) {
        return new TableWrite(table, rowsIn, rowsLoaded, rowsQuarantined, version, predicate);
    }

    /** The rows a MERGE or replace of this run wrote (silver tables carry {@code _run_id}). */
    public static String runRows(String runId) {
        return "_run_id = '" + runId.replace("'", "''") + "'";
    }

    /** A derived table (silver pivots, gold marts): nothing is quarantined there. */
    public static TableWrite derived(String table, long rows, long version) {
        return new TableWrite(table, rows, rows, 0, version);
    }
}
