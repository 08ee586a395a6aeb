package vn.customs.cw.trs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import vn.customs.cw.testing.SparkTestBase;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ExactPercentiles} gives what Spark's exact {@code percentile} gives, to the last bit. */
class ExactPercentilesTest extends SparkTestBase {

    static final double[] LEVELS = {0.0, 0.1, 0.25, 1.0 / 3, 0.5, 0.75, 0.9, 0.99, 1.0};

    Dataset<Row> values() {
        List<Row> rows = new ArrayList<>();
        add(rows, "ties", 5L, 5L, 5L, 7L, 7L, 9L);
        add(rows, "single", 42L);
        add(rows, "two", 1L, 2L);
        add(rows, "negative", -3L, 10L, 0L, -3L);
        add(rows, "nulls among values", null, 8L, null, 2L, 4L);
        add(rows, "only nulls", null, null);
        // Release times to the second with repeats: 5,000 values over several partitions, so the
        // partial buffers are encoded, shuffled and merged as in a night.
        Random r = new Random(20201231L);
        for (int i = 0; i < 5_000; i++) rows.add(RowFactory.create("seconds", (long) r.nextInt(200_000)));
        for (int i = 0; i < 3_000; i++) rows.add(RowFactory.create("skewed", (long) (r.nextGaussian() * r.nextGaussian() * 36_000)));
        StructType schema = new StructType().add("g", DataTypes.StringType).add("v", DataTypes.LongType);
        return spark().createDataFrame(rows, schema).repartition(4);
    }

    static void add(List<Row> rows, String group, Long... values) {
        for (Long v : values) rows.add(RowFactory.create(group, v));
    }

    @Test
    void equalsSparksPercentileForEveryGroupAndLevel() {
        String levels = java.util.Arrays.stream(LEVELS).mapToObj(Double::toString).reduce((a, b) -> a + ", " + b).orElseThrow();
        List<Row> out = values().groupBy("g")
                .agg(expr("percentile(v, array(" + levels + "))").as("spark"), ExactPercentiles.of(col("v"), LEVELS).as("ours"))
                .orderBy("g").collectAsList();
        assertEquals(8, out.size(), "one row per group");
        int compared = 0;
        for (Row row : out) {
            String g = row.getString(0);
            if (g.equals("only nulls")) {
                Assertions.assertTrue(row.isNullAt(1) && row.isNullAt(2), "no value: null, as percentile gives: " + row);
                continue;
            }
            List<Double> spark = row.getList(1);
            List<Double> ours = row.getList(2);
            assertEquals(LEVELS.length, ours.size(), g + ": one value per level");
            for (int i = 0; i < LEVELS.length; i++) {
                // Bit for bit: leadership ranks departments on these medians.
                assertEquals(Double.doubleToLongBits(spark.get(i)), Double.doubleToLongBits(ours.get(i)),
                        g + " at level " + LEVELS[i] + ": Spark " + spark.get(i) + ", ours " + ours.get(i));
                compared++;
            }
        }
        assertEquals(7 * LEVELS.length, compared, "every level of every group with values was compared");
        Row ties = out.stream().filter(x -> x.getString(0).equals("ties")).findFirst().orElseThrow();
        assertEquals(6.0, ((List<?>) ties.getList(2)).get(4), "median of 5,5,5,7,7,9 interpolates 5 and 7");
    }

    @Test
    void theStatisticsComputeMedianAndP90AsOneAggregate() {
        Dataset<Row> rows = values().filter(col("v").isNotNull())
                .select(col("g"), lit(false).as("is_cancelled"), lit(true).as("is_measured"),
                        lit(false).as("is_release_before_registration"), lit(false).as("is_extreme"),
                        col("v").as("release_seconds"), col("v").as("customs_seconds"), lit(0L).as("agency_seconds"),
                        lit(0L).as("trader_seconds"), lit(0L).as("port_seconds"));
        List<Column> aggs = TrsStats.aggregates(false);
        Dataset<Row> stats = TrsStats.unpack(TrsStats.prepare(rows).groupBy("g")
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)));
        String plan = stats.queryExecution().sparkPlan().toString();
        assertEquals(1, plan.split("partial_exactpercentiles", -1).length - 1,
                "median and P90 must share one aggregate (values collected and sorted once): " + plan);
        Row ties = stats.filter(col("g").equalTo("ties")).select("median_seconds", "p90_seconds").first();
        assertEquals(6.0, ties.getDouble(0), "median of 5,5,5,7,7,9");
        assertEquals(8.0, ties.getDouble(1), "P90 of 5,5,5,7,7,9: position 4.5 between 7 and 9");
        Assertions.assertFalse(java.util.Arrays.asList(stats.columns()).contains(TrsStats.MEDIAN_P90),
                "the packed column does not leak into the tables");
    }

    @Test
    void readingBothLevelsInsideOneAggComputesItTwice() {
        // Why TrsStats.unpack exists: Spark resolves a user aggregate's encoders at each place it is
        // read, so the two reads are not recognised as one aggregate. If Spark starts deduplicating
        // them, unpack can go.
        Column p = ExactPercentiles.of(col("v"), 0.5, 0.9);
        String plan = values().groupBy("g").agg(p.getItem(0), p.getItem(1)).queryExecution().sparkPlan().toString();
        assertEquals(2, plan.split("partial_exactpercentiles", -1).length - 1, plan);
    }

    @Test
    void partialsRolledUpGiveTheBitsOfTheDirectStatistics() {
        // Declarations of two offices (one unknown) and three channels (one missing), with cancelled,
        // unfinished, released-before-registered and extreme ones: the statistics per office/ALL × channel/ALL computed directly
        // over exploded rows, and per office × channel first then rolled up, must agree to the bit.
        List<Row> in = new ArrayList<>();
        Random r = new Random(7L);
        String[] offices = {"20CF", "20NB", null};
        String[] channels = {"1", "2", "3", null};
        for (int i = 0; i < 2_000; i++) {
            boolean cancelled = r.nextInt(20) == 0;
            boolean measured = !cancelled && r.nextInt(10) != 0;
            boolean beforeRegistered = !cancelled && !measured && r.nextInt(4) == 0;
            long seconds = r.nextInt(50) == 0 ? 400_000L + r.nextInt(100_000) : (long) r.nextInt(40_000);
            long customs = seconds / 3;
            in.add(RowFactory.create(offices[r.nextInt(3)], channels[r.nextInt(4)], cancelled, measured, beforeRegistered,
                    measured && seconds > 300_000, measured ? seconds : null, measured ? customs : null,
                    measured ? seconds - customs : null, measured ? 0L : null, measured ? 0L : null));
        }
        StructType schema = new StructType().add("office_code", DataTypes.StringType).add("final_channel", DataTypes.StringType)
                .add("is_cancelled", DataTypes.BooleanType).add("is_measured", DataTypes.BooleanType)
                .add("is_release_before_registration", DataTypes.BooleanType).add("is_extreme", DataTypes.BooleanType).add("release_seconds", DataTypes.LongType)
                .add("customs_seconds", DataTypes.LongType).add("agency_seconds", DataTypes.LongType)
                .add("trader_seconds", DataTypes.LongType).add("port_seconds", DataTypes.LongType);
        Dataset<Row> rows = TrsStats.prepare(spark().createDataFrame(in, schema).repartition(3))
                .withColumn("channel", coalesce(col("final_channel"), lit("UNKNOWN")));
        Column[] keys = {col("office_code"), col("channel")};
        for (boolean excludeExtremes : new boolean[]{false, true}) {
            List<Column> direct = TrsStats.aggregates(excludeExtremes);
            Dataset<Row> expected = TrsStats.unpack(rows
                    .withColumn("office_code", explode(array(col("office_code"), lit("ALL"))))
                    .withColumn("channel", explode(array(col("channel"), lit("ALL"))))
                    .groupBy(keys).agg(direct.get(0), direct.subList(1, direct.size()).toArray(Column[]::new)));
            List<Column> partials = TrsStats.partials(excludeExtremes);
            List<Column> rollup = TrsStats.rollup();
            Dataset<Row> actual = TrsStats.unpack(rows.groupBy(keys)
                    .agg(partials.get(0), partials.subList(1, partials.size()).toArray(Column[]::new))
                    .withColumn("office_code", explode(array(col("office_code"), lit("ALL"))))
                    .withColumn("channel", explode(array(col("channel"), lit("ALL"))))
                    .groupBy(keys).agg(rollup.get(0), rollup.subList(1, rollup.size()).toArray(Column[]::new)));
            Assertions.assertEquals(java.util.Arrays.asList(expected.columns()), java.util.Arrays.asList(actual.columns()),
                    "the same columns in the same order");
            Assertions.assertEquals(expected.schema(), actual.schema(), "the same types");
            List<Row> e = expected.orderBy(keys).collectAsList();
            List<Row> a = actual.orderBy(keys).collectAsList();
            assertEquals(20, e.size(), "(3 offices and ALL) × (4 channels and ALL)");
            assertEquals(e.toString(), a.toString(), "excludeExtremes=" + excludeExtremes + ": every statistic to the last digit");
            for (int i = 0; i < e.size(); i++) {
                Row x = e.get(i);
                for (String c : List.of("mean_seconds", "median_seconds", "p90_seconds", "customs_share")) {
                    int k = x.fieldIndex(c);
                    if (x.isNullAt(k)) continue;
                    assertEquals(Double.doubleToLongBits(x.getDouble(k)), Double.doubleToLongBits(a.get(i).getDouble(k)),
                            c + " of " + x + " against " + a.get(i));
                }
            }
        }
    }

    @Test
    void rejectsALevelOutsideZeroToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactPercentiles.of(col("v"), 0.5, 1.5));
        Assertions.assertTrue(e.getMessage().contains("1.5"), "the offending level is named: " + e.getMessage());
    }
}
