package vn.customs.cw.ops;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

/** ops.run_log: one row per table a stage wrote, plus one per failed or skipped stage. */
public final class RunLog {
    private RunLog() {}

    public static final String TABLE = "run_log";
    public static final String SUCCEEDED = "SUCCEEDED", FAILED = "FAILED", SKIPPED = "SKIPPED";

    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("command", DataTypes.StringType)
            .add("date_from", DataTypes.DateType)
            .add("date_to", DataTypes.DateType)
            .add("started_at", DataTypes.TimestampType)
            .add("ended_at", DataTypes.TimestampType)
            .add("stage", DataTypes.StringType)
            .add("table_name", DataTypes.StringType)
            .add("rows_in", DataTypes.LongType)
            .add("rows_loaded", DataTypes.LongType)
            .add("rows_quarantined", DataTypes.LongType)
            .add("delta_version", DataTypes.LongType)
            .add("status", DataTypes.StringType)
            .add("error", DataTypes.StringType);

    /** One row of the log, as kept in memory until the run's single run_log commit. */
    public record Entry(String stage, String table, Long rowsIn, Long rowsLoaded, Long rowsQuarantined, Long version,
                        String status, String error, Instant started, Instant ended) {
        public double seconds() {
            return (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        }

        public Row toRow(String runId, String command, LocalDate from, LocalDate to) {
            return RowFactory.create(runId, command, from == null ? null : Date.valueOf(from), to == null ? null : Date.valueOf(to),
                    Timestamp.from(started), Timestamp.from(ended), stage, table, rowsIn, rowsLoaded, rowsQuarantined,
                    version, status, error);
        }
    }
}
