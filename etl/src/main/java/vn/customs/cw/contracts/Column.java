package vn.customs.cw.contracts;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** One column of a landing-file contract: name, type, nullability, meaning and an example. */
public record Column(String name, DataType type, boolean nullable, String description, String example) {

    static Column req(String name, DataType type, String description, String example) {
        return new Column(name, type, false, description, example);
    }

    static Column opt(String name, DataType type, String description, String example) {
        return new Column(name, type, true, description, example);
    }

    public static final DataType STRING = DataTypes.StringType;
    public static final DataType INT = DataTypes.IntegerType;
    public static final DataType LONG = DataTypes.LongType;
    public static final DataType BOOLEAN = DataTypes.BooleanType;
    public static final DataType DATE = DataTypes.DateType;
    /** ISO-8601 with offset in the file, e.g. 2020-05-11T08:12:45+07:00; an instant once parsed. */
    public static final DataType TIMESTAMP = DataTypes.TimestampType;
    public static final DataType MONEY = DataTypes.createDecimalType(18, 2);
    public static final DataType VND = DataTypes.createDecimalType(20, 0);

    /** The contract's type name as written in docs/contracts.md. */
    public String typeName() {
        if (type.equals(TIMESTAMP)) return "timestamp+07:00";
        return type.simpleString();
    }
}
