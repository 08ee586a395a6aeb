package vn.customs.cw.silver;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.testing.SparkTestBase;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConformTest extends SparkTestBase {

    Refs refs() {
        var s = spark();
        Dataset<Row> offices = s.createDataFrame(List.of(RowFactory.create("20CF", "20"), RowFactory.create("20BB", "20")),
                new StructType().add("office_code", DataTypes.StringType).add("department_code", DataTypes.StringType));
        Dataset<Row> depts = s.createDataFrame(List.of(RowFactory.create("20")), new StructType().add("department_code", DataTypes.StringType));
        Dataset<Row> teams = s.createDataFrame(List.of(RowFactory.create("20CF", "01")),
                new StructType().add("office_code", DataTypes.StringType).add("team_code", DataTypes.StringType));
        Dataset<Row> types = s.createDataFrame(List.of(RowFactory.create("A11", "IMPORT")),
                new StructType().add("type_code", DataTypes.StringType).add("direction", DataTypes.StringType));
        Dataset<Row> modes = s.createDataFrame(List.of(RowFactory.create(4)), new StructType().add("transport_mode", DataTypes.IntegerType));
        return new Refs(offices, depts, teams, types, modes);
    }

    static final StructType REVENUE_BRONZE = new StructType()
            .add("office_code", DataTypes.StringType).add("collected_on", DataTypes.StringType)
            .add("revenue_vnd", DataTypes.StringType).add("updated_at", DataTypes.StringType)
            .add("_source_file", DataTypes.StringType).add("_record_no", DataTypes.LongType)
            .add("_landing_date", DataTypes.DateType).add("raw_text", DataTypes.StringType);

    static Row rev(String office, String on, String vnd, String upd, long line) {
        return RowFactory.create(office, on, vnd, upd, "revenue/2020-05-11/revenue_20200511.csv", line, Date.valueOf("2020-05-11"), "raw" + line);
    }

    @Test
    void validateTypesConformsAndGivesTheFirstBrokenRule() {
        Dataset<Row> bronze = spark().createDataFrame(List.of(
                rev("20CF", "2020-05-11", "35200000000", "2020-05-11T20:00:00+07:00", 2),
                rev("20CF", "2020-02-30", "1", "2020-05-11T20:00:00+07:00", 3),   // no such date
                rev("99ZZ", "2020-05-11", "1", "2020-05-11T20:00:00+07:00", 4),   // unknown office
                rev("20BB", "2020-05-11", "", "2020-05-11T20:00:00+07:00", 5),    // required amount missing
                rev("20BB", "2020-05-11", "12.5x", "2020-05-11T20:00", 6)),      // bad amount, bad timestamp
                REVENUE_BRONZE);
        Dataset<Row> out = Conform.validate(Source.REVENUE, bronze, refs());
        StructType s = new StructType().add("_record_no", DataTypes.LongType).add("office_code", DataTypes.StringType)
                .add("collected_on", DataTypes.DateType).add("revenue_vnd", DataTypes.createDecimalType(20, 0))
                .add("updated_at", DataTypes.TimestampType).add("department_code", DataTypes.StringType)
                .add("year", DataTypes.IntegerType).add("month", DataTypes.IntegerType).add("_reason_code", DataTypes.StringType);
        Timestamp upd = Timestamp.valueOf("2020-05-11 20:00:00"); // session zone Asia/Ho_Chi_Minh = +07:00
        Dataset<Row> expected = spark().createDataFrame(List.of(
                RowFactory.create(2L, "20CF", Date.valueOf("2020-05-11"), new java.math.BigDecimal("35200000000"), upd, "20", 2020, 5, null),
                RowFactory.create(3L, "20CF", null, new java.math.BigDecimal("1"), upd, "20", null, null, "BAD_VALUE"),
                RowFactory.create(4L, "99ZZ", Date.valueOf("2020-05-11"), new java.math.BigDecimal("1"), upd, "99", 2020, 5, "UNKNOWN_OFFICE"),
                RowFactory.create(5L, "20BB", Date.valueOf("2020-05-11"), null, upd, "20", 2020, 5, "MISSING_REQUIRED"),
                RowFactory.create(6L, "20BB", Date.valueOf("2020-05-11"), null, null, "20", 2020, 5, "BAD_VALUE")), s);
        Dataset<Row> actual = out.select("_record_no", "office_code", "collected_on", "revenue_vnd", "updated_at",
                "department_code", "year", "month", "_reason_code");
        assertDataFrameDataEquals(expected, actual);
    }

    static final StructType KEYED = new StructType().add("declaration_no", DataTypes.StringType)
            .add("updated_at", DataTypes.TimestampType).add("_source_file", DataTypes.StringType)
            .add("_record_no", DataTypes.LongType).add("channel", DataTypes.StringType)
            .add("_reason_code", DataTypes.StringType).add("_reason_detail", DataTypes.StringType);

    @Test
    void duplicatesAreMarkedAndTheLatestVersionPerKeyIsKept() {
        Timestamp t9 = Timestamp.valueOf("2020-05-11 09:00:00"), t10 = Timestamp.valueOf("2020-05-11 10:00:00");
        Dataset<Row> in = spark().createDataFrame(List.of(
                RowFactory.create("1", t9, "f1", 2L, "1", null, null),
                RowFactory.create("1", t10, "f1", 3L, "2", null, null),
                RowFactory.create("1", t10, "f2", 2L, "3", null, null),   // same key and time as f1:3
                RowFactory.create("2", t9, "f1", 4L, "1", "BAD_VALUE", "x"),
                RowFactory.create("2", t9, "f1", 5L, "1", null, null)), KEYED);
        Dataset<Row> marked = Conform.markDuplicates(Source.DECLARATIONS, in);
        Dataset<Row> expectedMarked = spark().createDataFrame(List.of(
                RowFactory.create("1", 2L, null), RowFactory.create("1", 3L, null), RowFactory.create("1", 2L, "DUPLICATE_KEY"),
                RowFactory.create("2", 4L, "BAD_VALUE"), RowFactory.create("2", 5L, null)),
                new StructType().add("declaration_no", DataTypes.StringType).add("_record_no", DataTypes.LongType).add("_reason_code", DataTypes.StringType));
        assertDataFrameNoOrderEquals(expectedMarked, marked.select("declaration_no", "_record_no", "_reason_code"));
        assertEquals("same key and updated_at as f1:3",
                marked.filter(col("_reason_code").equalTo("DUPLICATE_KEY")).head().getAs("_reason_detail"), "the kept copy is named");

        Dataset<Row> latest = Conform.latestPerKey(Source.DECLARATIONS, marked.filter(col("_reason_code").isNull()));
        Dataset<Row> expectedLatest = spark().createDataFrame(List.of(RowFactory.create("1", "2"), RowFactory.create("2", "1")),
                new StructType().add("declaration_no", DataTypes.StringType).add("channel", DataTypes.StringType));
        assertDataFrameNoOrderEquals(expectedLatest, latest.select("declaration_no", "channel"));
    }

    @Test
    void stepsOutOfOrderFollowTheDocumentedRule() {
        StructType ev = new StructType().add("declaration_no", DataTypes.StringType).add("milestone", DataTypes.StringType)
                .add("event_at", DataTypes.TimestampType).add("_reason_code", DataTypes.StringType).add("_reason_detail", DataTypes.StringType);
        Timestamp h8 = Timestamp.valueOf("2020-05-11 08:00:00"), h7 = Timestamp.valueOf("2020-05-11 07:00:00"),
                h12 = Timestamp.valueOf("2020-05-11 12:00:00"), h11 = Timestamp.valueOf("2020-05-11 11:00:00");
        Dataset<Row> incoming = spark().createDataFrame(List.of(
                RowFactory.create("A", "ARRIVAL", h7, null, null),            // arrival may precede registration
                RowFactory.create("A", "DOC_CHECK_START", h7, null, null),    // before REGISTRATION (in silver)
                RowFactory.create("A", "RELEASE", h12, null, null),
                RowFactory.create("A", "GATE_OUT", h11, null, null),          // before RELEASE
                RowFactory.create("B", "CLEARANCE", h11, null, null),         // no RELEASE known: in order
                RowFactory.create("C", "REGISTRATION", h7, null, null),       // corrects silver's 12:00 registration
                RowFactory.create("C", "DOC_CHECK_START", h8, null, null),    // after the corrected one: in order
                RowFactory.create("D", "DOC_CHECK_START", h11, null, null)), ev); // before silver's REGISTRATION
        // silver.declaration_milestones: A's REGISTRATION and RELEASE events as they are in silver.
        Dataset<Row> existing = spark().createDataFrame(List.of(
                RowFactory.create("A", h8, h7),                               // RELEASE superseded by the incoming one
                RowFactory.create("C", h12, null),
                RowFactory.create("D", h12, null)),
                new StructType().add("declaration_no", DataTypes.StringType)
                        .add("registered_at", DataTypes.TimestampType).add("released_at", DataTypes.TimestampType));
        Dataset<Row> out = Conform.markStepsOutOfOrder(incoming, existing);
        Dataset<Row> expected = spark().createDataFrame(List.of(
                RowFactory.create("A", "ARRIVAL", null), RowFactory.create("A", "DOC_CHECK_START", "STEP_OUT_OF_ORDER"),
                RowFactory.create("A", "RELEASE", null), RowFactory.create("A", "GATE_OUT", "STEP_OUT_OF_ORDER"),
                RowFactory.create("B", "CLEARANCE", null),
                RowFactory.create("C", "REGISTRATION", null), RowFactory.create("C", "DOC_CHECK_START", null),
                RowFactory.create("D", "DOC_CHECK_START", "STEP_OUT_OF_ORDER")),
                new StructType().add("declaration_no", DataTypes.StringType).add("milestone", DataTypes.StringType).add("_reason_code", DataTypes.StringType));
        assertDataFrameNoOrderEquals(expected, out.select("declaration_no", "milestone", "_reason_code"));
    }
}
