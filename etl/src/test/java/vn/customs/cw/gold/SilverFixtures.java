package vn.customs.cw.gold;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.contracts.Source;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Silver tables as small inline DataFrames with exactly the columns of docs/tables.md: the typed
 * contract columns of {@link Source}, the derived columns listed there, and the lineage columns.
 * Rows are given as column → value maps; absent columns are null, strings are parsed for
 * timestamp (ISO with offset), date and decimal columns.
 */
final class SilverFixtures {
    private SilverFixtures() {}

    static final StructField[] LINEAGE = {
            field("_run_id", DataTypes.StringType), field("_ingested_at", DataTypes.TimestampType)};

    static StructField field(String name, DataType type) {
        return new StructField(name, type, true, Metadata.empty());
    }

    static StructType silver(Source source, StructField... derived) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : source.schema().fields()) fields.add(field(f.name(), f.dataType()));
        fields.addAll(Arrays.asList(derived));
        fields.addAll(Arrays.asList(LINEAGE));
        return new StructType(fields.toArray(StructField[]::new));
    }

    static final StructType DECLARATIONS = silver(Source.DECLARATIONS,
            field("direction", DataTypes.StringType), field("department_code", DataTypes.StringType),
            field("channel_code", DataTypes.StringType), field("channel_raw", DataTypes.StringType),
            field("is_cancelled", DataTypes.BooleanType), field("registration_date", DataTypes.DateType),
            field("registration_year", DataTypes.IntegerType));
    static final StructType NSW_DOSSIERS = silver(Source.NSW_DOSSIERS,
            field("department_code", DataTypes.StringType), field("submitted_year", DataTypes.IntegerType));
    static final StructType EMANIFEST = silver(Source.EMANIFEST,
            field("department_code", DataTypes.StringType), field("declared_year", DataTypes.IntegerType));
    static final StructType CERTIFICATES_OF_ORIGIN = silver(Source.CERTIFICATES_OF_ORIGIN,
            field("department_code", DataTypes.StringType), field("received_year", DataTypes.IntegerType));
    static final StructType ADMIN_DOSSIERS = silver(Source.ADMIN_DOSSIERS,
            field("department_code", DataTypes.StringType), field("received_year", DataTypes.IntegerType));
    static final StructType DOSSIER_REPORTS = silver(Source.DOSSIER_REPORTS,
            field("year", DataTypes.IntegerType), field("month", DataTypes.IntegerType));
    static final StructType REFORM_TASKS = silver(Source.REFORM_TASKS);
    static final StructType SATISFACTION_RATINGS = silver(Source.SATISFACTION_RATINGS,
            field("department_code", DataTypes.StringType), field("worst_level", DataTypes.IntegerType),
            field("rated_year", DataTypes.IntegerType));
    static final StructType REVENUE = silver(Source.REVENUE,
            field("department_code", DataTypes.StringType), field("year", DataTypes.IntegerType),
            field("month", DataTypes.IntegerType));
    static final StructType REVENUE_TARGETS = silver(Source.REVENUE_TARGETS);

    /** Alternating column names and values: {@code row("office_code", "20CF", "movement", "ENTRY")}. */
    static Map<String, Object> row(Object... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("row needs name/value pairs: " + Arrays.toString(kv));
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static Dataset<Row> table(SparkSession spark, StructType schema, List<Map<String, Object>> rows) {
        List<Row> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            for (String k : r.keySet()) {
                if (!Arrays.asList(schema.fieldNames()).contains(k)) {
                    throw new IllegalArgumentException("fixture column '" + k + "' is not in " + schema.simpleString());
                }
            }
            Object[] values = new Object[schema.size()];
            for (int i = 0; i < schema.size(); i++) {
                StructField f = schema.fields()[i];
                values[i] = convert(f.dataType(), r.get(f.name()));
            }
            out.add(RowFactory.create(values));
        }
        return spark.createDataFrame(out, schema);
    }

    private static Object convert(DataType t, Object v) {
        if (v == null) return null;
        if (t.equals(DataTypes.TimestampType) && v instanceof String s) {
            return Timestamp.from(OffsetDateTime.parse(s).toInstant());
        }
        if (t.equals(DataTypes.DateType) && v instanceof String s) return Date.valueOf(LocalDate.parse(s));
        if (t instanceof DecimalType && !(v instanceof BigDecimal)) return new BigDecimal(v.toString());
        if (t.equals(DataTypes.LongType) && v instanceof Integer i) return i.longValue();
        return v;
    }
}
