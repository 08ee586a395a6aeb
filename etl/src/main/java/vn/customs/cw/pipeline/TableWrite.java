package vn.customs.cw.pipeline;

/**
 * One table written by a stage, for the run log. For every source and run:
 * rowsIn = rowsLoaded + rowsQuarantined (checked by the run log).
 *
 * @param table   {@code layer.table}
 * @param version Delta version this write committed (-1 when nothing was committed)
 */
public record TableWrite(String table, long rowsIn, long rowsLoaded, long rowsQuarantined, long version) {
    public TableWrite {
        if (rowsIn != rowsLoaded + rowsQuarantined) {
            throw new IllegalStateException(table + ": rows in (" + rowsIn + ") != loaded (" + rowsLoaded
                    + ") + quarantined (" + rowsQuarantined + ")");
        }
    }

    /** A derived table (silver pivots, gold marts): nothing is quarantined there. */
    public static TableWrite derived(String table, long rows, long version) {
        return new TableWrite(table, rows, rows, 0, version);
    }
}
