package vn.customs.cw.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.silver.Milestones;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/** The milestones rebuild reads only the event years a touched declaration can have events in, and misses none. */
class MilestonesStageTest extends SparkTestBase {

    @TempDir
    Path dir;

    static final StructType EVENTS = new StructType().add("declaration_no", DataTypes.StringType)
            .add("milestone", DataTypes.StringType).add("event_at", DataTypes.TimestampType)
            .add("actor", DataTypes.StringType).add("channel_code", DataTypes.StringType)
            .add("event_year", DataTypes.IntegerType);

    static Row ev(String no, String milestone, String at) {
        Timestamp t = Timestamp.valueOf(at);
        return RowFactory.create(no, milestone, t, "CUSTOMS", null, t.toLocalDateTime().getYear());
    }

    @Test
    void aNightRebuildKeepsEventsOfOldYears() {
        CwConfig cfg = testConfig(dir);
        Warehouse wh = new Warehouse(cfg.paths().warehouse());
        // 104...01 was registered in 2017 and released in 2018; 104...02 is of May 2020.
        Dataset<Row> before = spark().createDataFrame(List.of(
                ev("104000000001", "REGISTRATION", "2017-12-30 09:00:00"),
                ev("104000000001", "RELEASE", "2018-01-02 10:00:00"),
                ev("104000000002", "REGISTRATION", "2020-05-10 09:00:00")), EVENTS);
        Dataset<Row> noHeaders = spark().createDataFrame(List.of(), new StructType()
                .add("declaration_no", DataTypes.StringType).add("registration_year", DataTypes.IntegerType));
        Milestones.pivot(before, noHeaders).write().format("delta").partitionBy("registration_year")
                .save(wh.path(Layer.SILVER, MilestonesStage.TABLE));
        // The night of 2020-05-11: a late GATE_OUT of the 2017 declaration and a RELEASE of the May one,
        // already merged into silver events; bronze holds them as landed.
        before.union(spark().createDataFrame(List.of(
                        ev("104000000001", "GATE_OUT", "2020-05-11 08:00:00"),
                        ev("104000000002", "RELEASE", "2020-05-11 09:00:00")), EVENTS))
                .write().format("delta").partitionBy("event_year").save(wh.path(Layer.SILVER, "declaration_events"));
        spark().createDataFrame(List.of(
                        RowFactory.create("104000000001", "2020-05-11T08:00:00+07:00", Date.valueOf("2020-05-11")),
                        RowFactory.create("104000000002", "2020-05-11T09:00:00+07:00", Date.valueOf("2020-05-11"))),
                        new StructType().add("declaration_no", DataTypes.StringType).add("event_at", DataTypes.StringType)
                                .add("_landing_date", DataTypes.DateType))
                .write().format("delta").partitionBy("_landing_date").save(wh.path(Layer.BRONZE, "declaration_events"));

        LocalDate night = LocalDate.of(2020, 5, 11);
        RunContext ctx = new RunContext(spark(), cfg, wh, "run-1", "test", night, night, Set.of());
        Dataset<Row> landed = wh.read(spark(), Layer.BRONZE, "declaration_events");
        assertEquals(Set.of(2017, 2018, 2019, 2020), MilestonesStage.eventYears(ctx, landed, landed.select("declaration_no").distinct(),
                        vn.customs.cw.ops.KeyRanges.of(landed, vn.customs.cw.contracts.Clustering.DECLARATION_NO).filter()),
                "2017..2018 from the old declaration's milestones row, 2019..2020 the run's years");

        spark().conf().set(MilestonesStage.CONSTRAINT_PROPAGATION, "true");
        new MilestonesStage().run(ctx);
        assertEquals("true", spark().conf().get(MilestonesStage.CONSTRAINT_PROPAGATION),
                "the stage turns constraint propagation off only while it plans: the session gets its setting back");
        Row old = wh.read(spark(), Layer.SILVER, MilestonesStage.TABLE).filter(col("declaration_no").equalTo("104000000001")).head();
        assertEquals(Timestamp.valueOf("2017-12-30 09:00:00"), old.getAs("registered_at"), "the 2017 REGISTRATION event was read");
        assertEquals(Timestamp.valueOf("2018-01-02 10:00:00"), old.getAs("released_at"), "the 2018 RELEASE event was read");
        assertEquals(Timestamp.valueOf("2020-05-11 08:00:00"), old.getAs("gated_out_at"), "the night's GATE_OUT");
        assertEquals(3L, ((Number) old.getAs("event_count")).longValue(), "all three events of the declaration");
        assertEquals(1, wh.read(spark(), Layer.SILVER, MilestonesStage.TABLE).filter(col("declaration_no").equalTo("104000000001")).count(),
                "one milestones row per declaration");
        Row may = wh.read(spark(), Layer.SILVER, MilestonesStage.TABLE).filter(col("declaration_no").equalTo("104000000002")).head();
        assertEquals(2L, ((Number) may.getAs("event_count")).longValue(), "REGISTRATION and the night's RELEASE");
    }
}
