package vn.customs.cw.reports;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Layer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** What every report section builder needs: the pinned tables, names, the request and formats. */
record ReportInputs(Snapshot snapshot, Reference reference, String department, String departmentName,
                    Period period, String campaignId, Formats fmt, CwConfig config) {

    Column dept() {
        return col("department_code").equalTo(lit(department));
    }

    /** A gold table at its pinned version, or null when the warehouse does not have it (yet). */
    Dataset<Row> goldOrNull(String table) {
        return snapshot.exists(Layer.GOLD, table) ? snapshot.read(Layer.GOLD, table) : null;
    }

    Dataset<Row> gold(String table) {
        return snapshot.read(Layer.GOLD, table);
    }

    static Long lng(Row r, int i) {
        return r.isNullAt(i) ? null : ((Number) r.get(i)).longValue();
    }

    static Double dbl(Row r, int i) {
        return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
    }

    static String str(Row r, int i) {
        return r.isNullAt(i) ? null : String.valueOf(r.get(i));
    }

    static Boolean bool(Row r, int i) {
        return r.isNullAt(i) ? null : r.getBoolean(i);
    }

    static IllegalArgumentException noData(ReportInputs in, String what) {
        return new IllegalArgumentException("no data for department " + in.department + " in period "
                + in.period.code() + ": " + what);
    }
}
