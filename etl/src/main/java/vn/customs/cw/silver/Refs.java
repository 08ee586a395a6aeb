package vn.customs.cw.silver;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

/** The reference tables silver validation looks codes up in (small: always broadcast). */
public record Refs(Dataset<Row> offices, Dataset<Row> departments, Dataset<Row> teams,
                   Dataset<Row> typeCodes, Dataset<Row> transportModes) {

    public static Refs read(SparkSession spark, Warehouse wh) {
        return new Refs(wh.read(spark, Layer.SILVER, "ref_offices"), wh.read(spark, Layer.SILVER, "ref_departments"),
                wh.read(spark, Layer.SILVER, "ref_teams"), wh.read(spark, Layer.SILVER, "ref_type_codes"),
                wh.read(spark, Layer.SILVER, "ref_transport_modes"));
    }
}
