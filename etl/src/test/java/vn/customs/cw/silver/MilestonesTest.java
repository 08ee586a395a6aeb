package vn.customs.cw.silver;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.testing.SparkTestBase;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MilestonesTest extends SparkTestBase {
    @Test
    void pivotsEventsToOneRowPerDeclaration() {
        StructType ev = new StructType().add("declaration_no", DataTypes.StringType).add("milestone", DataTypes.StringType)
                .add("event_at", DataTypes.TimestampType).add("actor", DataTypes.StringType).add("channel_code", DataTypes.StringType);
        Timestamp t1 = Timestamp.valueOf("2020-05-11 08:00:00"), t2 = Timestamp.valueOf("2020-05-11 08:05:00"),
                t3 = Timestamp.valueOf("2020-05-11 09:00:00"), t4 = Timestamp.valueOf("2020-05-11 12:00:00"),
                t0 = Timestamp.valueOf("2019-12-31 23:00:00");
        Dataset<Row> events = spark().createDataFrame(List.of(
                RowFactory.create("A", "REGISTRATION", t1, "TRADER", null),
                RowFactory.create("A", "CHANNEL_ASSIGNED", t2, "CUSTOMS", "2"),
                RowFactory.create("A", "CHANNEL_CHANGED", t3, "CUSTOMS", "3"),
                RowFactory.create("A", "RELEASE", t4, "CUSTOMS", null),
                RowFactory.create("A", "CLEARANCE", t3, "CUSTOMS", null),       // before release: not in order
                RowFactory.create("B", "ARRIVAL", t0, "PORT", null),             // no registration yet
                RowFactory.create("B", "CHANNEL_ASSIGNED", t2, "CUSTOMS", "1")), ev);
        Dataset<Row> decl = spark().createDataFrame(List.of(RowFactory.create("B", 2020)),
                new StructType().add("declaration_no", DataTypes.StringType).add("registration_year", DataTypes.IntegerType));
        Dataset<Row> out = Milestones.pivot(events, decl);

        List<String> cols = Arrays.stream(Milestone.values()).flatMap(m -> java.util.stream.Stream.of(m.column(), m.actorColumn())).toList();
        for (String c : cols) assertEquals(true, Arrays.asList(out.columns()).contains(c), "milestone column " + c);

        StructType s = new StructType().add("declaration_no", DataTypes.StringType).add("registration_year", DataTypes.IntegerType)
                .add("registered_at", DataTypes.TimestampType).add("registration_actor", DataTypes.StringType)
                .add("released_at", DataTypes.TimestampType).add("initial_channel", DataTypes.StringType)
                .add("final_channel", DataTypes.StringType).add("is_channel_switched", DataTypes.BooleanType)
                .add("event_count", DataTypes.LongType).add("is_in_order", DataTypes.BooleanType);
        Dataset<Row> expected = spark().createDataFrame(List.of(
                RowFactory.create("A", 2020, t1, "TRADER", t4, "2", "3", true, 5L, false),
                RowFactory.create("B", 2020, null, null, null, "1", "1", false, 2L, true)), s);
        assertDataFrameDataEquals(expected, out.select("declaration_no", "registration_year", "registered_at", "registration_actor",
                "released_at", "initial_channel", "final_channel", "is_channel_switched", "event_count", "is_in_order"));
    }
}
