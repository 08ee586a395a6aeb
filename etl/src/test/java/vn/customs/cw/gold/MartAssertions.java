package vn.customs.cw.gold;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected gold rows written by hand against a DDL schema, compared with spark-testing-base. */
final class MartAssertions {
    private MartAssertions() {}

    static Dataset<Row> expected(SparkSession spark, String ddl, Object[]... rows) {
        StructType schema = StructType.fromDDL(ddl);
        List<Row> out = new ArrayList<>();
        for (Object[] r : rows) {
            if (r.length != schema.size()) {
                throw new IllegalArgumentException("expected row has " + r.length + " values for " + schema.size()
                        + " columns: " + Arrays.toString(r));
            }
            Object[] v = new Object[r.length];
            for (int i = 0; i < r.length; i++) v[i] = convert(schema.fields()[i].dataType(), r[i]);
            out.add(RowFactory.create(v));
        }
        return spark.createDataFrame(out, schema);
    }

    static Object[] r(Object... values) {
        return values;
    }

    /**
     * Same column names and types in the same order (nullability aside: Spark decides it from the
     * plan), then the same rows in any order.
     */
    static void assertMart(JavaDataFrameSuiteBase base, Dataset<Row> expected, Dataset<Row> actual) {
        assertEquals(describe(expected.schema()), describe(actual.schema()),
                "the mart's columns and types are the docs/tables.md contract");
        Dataset<Row> exp = base.sqlContext().sparkSession().createDataFrame(expected.collectAsList(), actual.schema());
        base.assertDataFrameNoOrderEquals(exp, actual);
    }

    private static List<String> describe(StructType s) {
        List<String> out = new ArrayList<>();
        for (StructField f : s.fields()) out.add(f.name() + " " + f.dataType().simpleString());
        return out;
    }

    private static Object convert(DataType t, Object v) {
        if (v == null) return null;
        if (t.equals(DataTypes.TimestampType) && v instanceof String s) return Timestamp.from(OffsetDateTime.parse(s).toInstant());
        if (t.equals(DataTypes.DateType) && v instanceof String s) return Date.valueOf(LocalDate.parse(s));
        if (t instanceof DecimalType d && !(v instanceof BigDecimal)) return new BigDecimal(v.toString()).setScale(d.scale());
        if (t instanceof DecimalType d) return ((BigDecimal) v).setScale(d.scale());
        if (t.equals(DataTypes.LongType) && v instanceof Integer i) return i.longValue();
        return v;
    }
}
