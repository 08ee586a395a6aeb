package vn.customs.cw.ops;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.*;

/** ops.quarantine: every rejected landing record, with its file, line, raw text and reason. */
public final class Quarantine {
    private Quarantine() {}

    public static final String TABLE = "quarantine";

    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("source_file", DataTypes.StringType)
            .add("record_no", DataTypes.LongType)
            .add("raw_text", DataTypes.StringType)
            .add("reason_code", DataTypes.StringType)
            .add("reason_detail", DataTypes.StringType)
            .add("quarantined_at", DataTypes.TimestampType)
            .add("landing_date", DataTypes.DateType);

    /** Rows with _source_file, _record_no, raw_text, reason code/detail columns and _landing_date to quarantine rows. */
    public static Dataset<Row> rows(Dataset<Row> rejected, String runId, String source, String reasonCol, String detailCol) {
        return rejected.select(
                lit(runId).alias("run_id"), lit(source).alias("source"), col("_source_file").alias("source_file"),
                col("_record_no").alias("record_no"), col("raw_text"), col(reasonCol).alias("reason_code"),
                col(detailCol).alias("reason_detail"), current_timestamp().alias("quarantined_at"),
                col("_landing_date").alias("landing_date"));
    }

    static Column[] none() { return new Column[0]; }
}
