package vn.customs.cw.trs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.contracts.Source;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the silver tables the release-time engine reads (silver.declarations,
 * silver.declaration_milestones, silver.ref_calendar, silver.ref_offices) as small inline
 * DataFrames with exactly the columns of docs/tables.md. Times are Vietnamese local times.
 */
final class TrsFixture {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");

    static Timestamp ts(String local) {
        return Timestamp.from(LocalDateTime.parse(local.replace(' ', 'T')).atZone(VN).toInstant());
    }

    final class Decl {
        final String no, office, typeCode;
        final Timestamp registeredAt;
        String channel = "1", hsCode = "27011210", team = "01";
        int transportMode = 4, status = 0;
        String initialChannel, finalChannel;
        final Map<Milestone, Timestamp> at = new EnumMap<>(Milestone.class);
        final Map<Milestone, String> actor = new EnumMap<>(Milestone.class);

        Decl(String no, String office, String typeCode, String registeredAt) {
            this.no = no;
            this.office = office;
            this.typeCode = typeCode;
            this.registeredAt = ts(registeredAt);
            at.put(Milestone.REGISTRATION, this.registeredAt);
        }

        Decl at(Milestone m, String local) {
            at.put(m, ts(local));
            return this;
        }

        Decl actor(Milestone m, String a) {
            actor.put(m, a);
            return this;
        }

        Decl channel(String initial, String fin) {
            initialChannel = initial;
            finalChannel = fin;
            channel = fin;
            return this;
        }

        Decl status(int s) {
            status = s;
            return this;
        }

        Decl hs(String code) {
            hsCode = code;
            return this;
        }
    }

    private final SparkSession spark;
    private final Map<String, Decl> decls = new LinkedHashMap<>();

    TrsFixture(SparkSession spark) {
        this.spark = spark;
    }

    Decl decl(String no, String office, String typeCode, String registeredAt) {
        Decl d = new Decl(no, office, typeCode, registeredAt);
        decls.put(no, d);
        return d;
    }

    Decl get(String no) {
        Decl d = decls.get(no);
        if (d == null) throw new IllegalArgumentException("no declaration " + no + " in the fixture");
        return d;
    }

    /** A declaration with only registration, release and clearance at registration + seconds. */
    Decl released(String no, String office, String registeredAt, long seconds) {
        String type = no.startsWith("1") ? "A11" : "B11";
        Decl d = decl(no, office, type, registeredAt);
        Timestamp end = Timestamp.from(d.registeredAt.toInstant().plusSeconds(seconds));
        d.at.put(Milestone.RELEASE, end);
        d.at.put(Milestone.CLEARANCE, end);
        return d;
    }

    Dataset<Row> declarations() {
        StructType schema = Source.DECLARATIONS.schema()
                .add("direction", DataTypes.StringType).add("department_code", DataTypes.StringType)
                .add("channel_code", DataTypes.StringType).add("channel_raw", DataTypes.StringType)
                .add("is_cancelled", DataTypes.BooleanType).add("registration_date", DataTypes.DateType)
                .add("registration_year", DataTypes.IntegerType)
                .add("_run_id", DataTypes.StringType).add("_ingested_at", DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (Decl d : decls.values()) {
            LocalDate day = d.registeredAt.toInstant().atZone(VN).toLocalDate();
            rows.add(RowFactory.create(d.no, d.typeCode, d.office, d.team, "5700100256", "Công ty TNHH Hạ Long",
                    d.transportMode, d.channel, d.status, d.registeredAt, d.hsCode, new BigDecimal("1000.00"),
                    new BigDecimal("5000000"), 1, d.registeredAt,
                    d.no.startsWith("1") ? "IMPORT" : "EXPORT", d.office.substring(0, 2), d.channel.substring(0, 1),
                    d.channel, d.status == 1 || d.status == 2, Date.valueOf(day), day.getYear(), "test", d.registeredAt));
        }
        return spark.createDataFrame(rows, schema);
    }

    Dataset<Row> milestones() {
        StructType schema = new StructType().add("declaration_no", DataTypes.StringType);
        for (Milestone m : Milestone.values()) {
            schema = schema.add(m.column(), DataTypes.TimestampType).add(m.actorColumn(), DataTypes.StringType);
        }
        schema = schema.add("initial_channel", DataTypes.StringType).add("final_channel", DataTypes.StringType)
                .add("is_channel_switched", DataTypes.BooleanType).add("event_count", DataTypes.IntegerType)
                .add("is_in_order", DataTypes.BooleanType).add("registration_year", DataTypes.IntegerType)
                .add("_run_id", DataTypes.StringType).add("_ingested_at", DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (Decl d : decls.values()) {
            List<Object> v = new ArrayList<>();
            v.add(d.no);
            for (Milestone m : Milestone.values()) {
                Timestamp t = d.at.get(m);
                v.add(t);
                v.add(t == null ? null : d.actor.getOrDefault(m, m.usualActor().name()));
            }
            String initial = d.initialChannel == null ? d.channel : d.initialChannel;
            String fin = d.finalChannel == null ? d.channel : d.finalChannel;
            v.add(initial);
            v.add(fin);
            v.add(!initial.equals(fin));
            v.add(d.at.size());
            v.add(true);
            v.add(d.registeredAt.toInstant().atZone(VN).getYear());
            v.add("test");
            v.add(d.registeredAt);
            rows.add(RowFactory.create(v.toArray()));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** silver.ref_calendar for [from, to] with the given public holidays. */
    Dataset<Row> calendar(LocalDate from, LocalDate to, Map<LocalDate, String> holidays) {
        StructType schema = new StructType().add("calendar_date", DataTypes.DateType)
                .add("year", DataTypes.IntegerType).add("month", DataTypes.IntegerType)
                .add("day_of_week", DataTypes.IntegerType).add("is_holiday", DataTypes.BooleanType)
                .add("holiday_name", DataTypes.StringType).add("is_working_day", DataTypes.BooleanType)
                .add("is_border_working_day", DataTypes.BooleanType);
        List<Row> rows = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            boolean hol = holidays.containsKey(d);
            int dow = d.getDayOfWeek().getValue();
            rows.add(RowFactory.create(Date.valueOf(d), d.getYear(), d.getMonthValue(), dow, hol, holidays.get(d),
                    !hol && dow <= 5, !hol && d.getDayOfWeek() != DayOfWeek.SUNDAY));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** silver.ref_offices: office_code → is_border_gate. */
    Dataset<Row> offices(Map<String, Boolean> borderGate) {
        StructType schema = new StructType().add("office_code", DataTypes.StringType)
                .add("department_code", DataTypes.StringType).add("office_name", DataTypes.StringType)
                .add("is_border_gate", DataTypes.BooleanType).add("works_saturday", DataTypes.BooleanType);
        List<Row> rows = new ArrayList<>();
        borderGate.forEach((o, b) -> rows.add(RowFactory.create(o, o.substring(0, 2), "Chi cục " + o, b, b)));
        return spark.createDataFrame(rows, schema);
    }

}
