package vn.customs.cw.silver;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import vn.customs.cw.contracts.Actor;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.contracts.Source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;

/**
 * Bronze (strings) to silver (typed, conformed): pure {@code Dataset<Row> -> Dataset<Row>}
 * functions. A row that breaks a rule gets {@code _reason_code}/{@code _reason_detail} (the first
 * rule it breaks, in the order the rules are listed) and goes to quarantine; the others are valid.
 */
public final class Conform {
    private Conform() {}

    public static final String REASON = "_reason_code";
    public static final String DETAIL = "_reason_detail";
    /** Lineage kept through validation so a rejected row can be quarantined with its file and line. */
    public static final List<String> LINEAGE = List.of("_source_file", "_record_no", "_landing_date", "raw_text");

    static final String TS_RE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";
    static final String DATE_RE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    static final String INT_RE = "^[+-]?[0-9]+$";
    static final String DEC_RE = "^[+-]?[0-9]+(\\.[0-9]+)?$";

    /** Silver facts per source: the year column (partition, or the year gold recomputes). */
    public static String yearColumn(Source s) {
        return switch (s) {
            case DECLARATIONS -> "registration_year";
            case DECLARATION_EVENTS -> "event_year";
            case NSW_DOSSIERS -> "submitted_year";
            case EMANIFEST -> "declared_year";
            case CERTIFICATES_OF_ORIGIN, ADMIN_DOSSIERS -> "received_year";
            case SATISFACTION_RATINGS -> "rated_year";
            case DOSSIER_REPORTS, REVENUE -> "year";
            case REFORM_TASKS -> "plan_year";
            case REVENUE_TARGETS -> "target_year";
        };
    }

    /** Partition column of the silver table (docs/tables.md), or null when unpartitioned. */
    public static String partitionColumn(Source s) {
        return switch (s) {
            case DOSSIER_REPORTS, REFORM_TASKS, REVENUE, REVENUE_TARGETS -> null;
            default -> yearColumn(s);
        };
    }

    private static Column raw(String c) {
        return col("`" + c + "`");
    }

    private static Column isBlank(String c) {
        return raw(c).isNull().or(trim(raw(c)).equalTo(""));
    }

    /** The contract type from the string, null when blank or unparseable. */
    static Column typed(String c, DataType t) {
        Column r = raw(c);
        Column v = when(isBlank(c), lit(null));
        String cast = "try_cast(`" + c + "` AS " + t.sql() + ")";
        if (t.equals(DataTypes.StringType)) return v.otherwise(r);
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)) {
            return v.when(r.rlike(INT_RE), expr(cast)).otherwise(lit(null).cast(t));
        }
        if (t instanceof DecimalType) return v.when(r.rlike(DEC_RE), expr(cast)).otherwise(lit(null).cast(t));
        if (t.equals(DataTypes.BooleanType)) {
            return v.when(r.equalTo("true"), lit(true)).when(r.equalTo("false"), lit(false)).otherwise(lit(null).cast(t));
        }
        if (t.equals(DataTypes.DateType)) return v.when(r.rlike(DATE_RE), expr(cast)).otherwise(lit(null).cast(t));
        if (t.equals(DataTypes.TimestampType)) return v.when(r.rlike(TS_RE), expr(cast)).otherwise(lit(null).cast(t));
        throw new IllegalArgumentException("no conversion for contract type " + t);
    }

    private record Rule(String code, Column broken, Column detail) {}

    /**
     * Types every contract column and evaluates the rules. Output: the typed contract columns,
     * the source's derived columns, {@link #LINEAGE}, {@link #REASON}, {@link #DETAIL}.
     */
    public static Dataset<Row> validate(Source s, Dataset<Row> bronze, Refs refs) {
        List<Rule> rules = new ArrayList<>();
        List<Column> typedCols = new ArrayList<>();
        for (vn.customs.cw.contracts.Column c : s.columns()) {
            Column t = typed(c.name(), c.type()).alias("__t_" + c.name());
            typedCols.add(t);
        }
        List<Column> all = new ArrayList<>(Arrays.stream(bronze.columns()).map(Conform::raw).toList());
        all.addAll(typedCols);
        Dataset<Row> df = bronze.select(all.toArray(Column[]::new));
        for (vn.customs.cw.contracts.Column c : s.columns()) {
            if (!c.nullable()) {
                rules.add(new Rule("MISSING_REQUIRED", isBlank(c.name()), lit("required column " + c.name() + " is empty")));
            }
        }
        for (vn.customs.cw.contracts.Column c : s.columns()) {
            rules.add(new Rule("BAD_VALUE", not(isBlank(c.name())).and(col("__t_" + c.name()).isNull()),
                    concat(lit(c.name() + " is not a valid " + c.typeName() + ": '"), raw(c.name()), lit("'"))));
        }
        // Lookups: left joins on broadcast reference tables, one flag column each.
        List<String> cols = s.columnNames();
        if (cols.contains("office_code")) {
            Dataset<Row> offices = refs.offices().select(col("office_code").alias("__ref_office"));
            df = df.join(broadcast(offices), col("__t_office_code").equalTo(col("__ref_office")), "left");
            Column known = col("__ref_office").isNotNull();
            if (s == Source.ADMIN_DOSSIERS) {
                // Department-level units receive dossiers too, coded <dept>00 (contract): known if the department is.
                Dataset<Row> depts = refs.departments().select(concat(col("department_code"), lit("00")).alias("__ref_dept_unit"));
                df = df.join(broadcast(depts), col("__t_office_code").equalTo(col("__ref_dept_unit")), "left");
                known = known.or(col("__ref_dept_unit").isNotNull());
            }
            rules.add(new Rule("UNKNOWN_OFFICE", col("__t_office_code").isNotNull().and(not(known)),
                    concat(lit("office_code '"), col("__t_office_code"), lit("' is not in reference offices"))));
        }
        if (cols.contains("department_code")) {
            Dataset<Row> depts = refs.departments().select(col("department_code").alias("__ref_dept"));
            df = df.join(broadcast(depts), col("__t_department_code").equalTo(col("__ref_dept")), "left");
            rules.add(new Rule("UNKNOWN_CODE", col("__t_department_code").isNotNull().and(col("__ref_dept").isNull()),
                    concat(lit("department_code '"), col("__t_department_code"), lit("' is not in reference departments"))));
        }
        if (cols.contains("team_code") && cols.contains("office_code")) {
            Dataset<Row> teams = refs.teams().select(col("office_code").alias("__ref_team_office"), col("team_code").alias("__ref_team"));
            df = df.join(broadcast(teams), col("__t_office_code").equalTo(col("__ref_team_office"))
                    .and(col("__t_team_code").equalTo(col("__ref_team"))), "left");
            rules.add(new Rule("UNKNOWN_CODE", col("__t_team_code").isNotNull().and(col("__ref_team").isNull()),
                    concat(lit("team_code '"), col("__t_team_code"), lit("' is not a team of office "), coalesce(col("__t_office_code"), lit("?")))));
        }
        if (s == Source.DECLARATIONS) {
            Dataset<Row> types = refs.typeCodes().select(col("type_code").alias("__ref_type"), col("direction").alias("__ref_direction"));
            df = df.join(broadcast(types), col("__t_type_code").equalTo(col("__ref_type")), "left");
            Dataset<Row> modes = refs.transportModes().select(col("transport_mode").cast("int").alias("__ref_mode"));
            df = df.join(broadcast(modes), col("__t_transport_mode").equalTo(col("__ref_mode")), "left");
            rules.add(new Rule("BAD_VALUE", col("__t_declaration_no").isNotNull().and(not(col("__t_declaration_no").rlike("^[0-9]{12}$"))),
                    concat(lit("declaration_no '"), col("__t_declaration_no"), lit("' is not 12 digits"))));
            rules.add(new Rule("UNKNOWN_TYPE_CODE", col("__t_type_code").isNotNull().and(col("__ref_type").isNull()),
                    concat(lit("type_code '"), col("__t_type_code"), lit("' is not in reference type_codes"))));
            rules.add(enumRule("transport_mode", col("__t_transport_mode").isNotNull().and(col("__ref_mode").isNull())));
            rules.add(enumRule("channel", col("__t_channel").isNotNull().and(not(substring(col("__t_channel"), 1, 1).isin("1", "2", "3")))));
            rules.add(enumRule("status", col("__t_status").isNotNull().and(not(col("__t_status").isin(0, 1, 2, 3)))));
            Column numberDirection = when(col("__t_declaration_no").startsWith("1"), lit("IMPORT"))
                    .when(col("__t_declaration_no").startsWith("3"), lit("EXPORT"));
            rules.add(new Rule("DIRECTION_MISMATCH", col("__ref_direction").isNotNull()
                    .and(not(coalesce(numberDirection, lit("?")).equalTo(col("__ref_direction")))),
                    concat(lit("declaration_no "), col("__t_declaration_no"), lit(" is "), coalesce(numberDirection, lit("neither import (1…) nor export (3…)")),
                            lit(" but type_code "), col("__t_type_code"), lit(" is "), col("__ref_direction"))));
        }
        switch (s) {
            case DECLARATION_EVENTS -> {
                rules.add(enumRule("milestone", in("milestone", Arrays.stream(Milestone.values()).map(Enum::name).toArray())));
                rules.add(enumRule("actor", in("actor", Arrays.stream(Actor.values()).map(Enum::name).toArray())));
                rules.add(enumRule("channel", in("channel", "1", "2", "3")));
            }
            case NSW_DOSSIERS -> rules.add(enumRule("result", in("result", "PASS", "FAIL")));
            case EMANIFEST -> {
                rules.add(enumRule("vehicle_type", in("vehicle_type", "SHIP", "TRUCK", "TRAIN")));
                rules.add(enumRule("movement", in("movement", "ENTRY", "EXIT")));
            }
            case CERTIFICATES_OF_ORIGIN -> rules.add(enumRule("form", in("form", "D", "E", "AK", "AJ", "VJ", "AI", "AANZ")));
            case ADMIN_DOSSIERS -> {
                rules.add(enumRule("submission_channel", in("submission_channel", "ONLINE", "IN_PERSON", "POST")));
                rules.add(enumRule("status", in("status", "RECEIVED", "RESOLVED", "REJECTED")));
            }
            case DOSSIER_REPORTS -> rules.add(new Rule("BAD_VALUE", col("__t_report_month").isNotNull()
                    .and(not(col("__t_report_month").rlike("^[0-9]{4}-(0[1-9]|1[0-2])$"))),
                    concat(lit("report_month '"), col("__t_report_month"), lit("' is not yyyy-MM"))));
            case REFORM_TASKS -> {
                rules.add(enumRule("task_group", in("task_group", "PLAN", "PROCEDURE_REVIEW", "PROCEDURE_PUBLICATION", "IT_APPLICATION", "INSPECTION", "COMMUNICATION")));
                rules.add(enumRule("status", in("status", "NOT_STARTED", "IN_PROGRESS", "COMPLETED")));
            }
            case SATISFACTION_RATINGS -> {
                for (String l : List.of("officer_level", "team_level", "office_level")) {
                    rules.add(enumRule(l, col("__t_" + l).isNotNull().and(not(col("__t_" + l).between(1, 5)))));
                }
            }
            case REVENUE_TARGETS -> rules.add(enumRule("target_source", in("target_source", "MOF", "GDC")));
            default -> { }
        }
        Column reason = lit(null).cast("string"), detail = lit(null).cast("string");
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            reason = when(r.broken(), lit(r.code())).otherwise(reason);
            detail = when(r.broken(), r.detail()).otherwise(detail);
        }
        df = df.withColumn(REASON, reason).withColumn(DETAIL, detail);

        List<Column> out = new ArrayList<>();
        for (String c : cols) {
            out.add(col("__t_" + c).alias(c));
        }
        out.addAll(derived(s));
        for (String l : LINEAGE) out.add(col(l));
        out.add(col(REASON));
        out.add(col(DETAIL));
        return df.select(out.toArray(Column[]::new));
    }

    public static scala.collection.Seq<String> seq(String... names) {
        return scala.collection.JavaConverters.asScalaBuffer(new ArrayList<>(List.of(names))).toSeq();
    }

    /** A value outside an enumeration that is not null (nulls are MISSING_REQUIRED's business). */
    private static Column in(String c, Object... values) {
        return col("__t_" + c).isNotNull().and(not(col("__t_" + c).isin(values)));
    }

    private static Rule enumRule(String c, Column broken) {
        return new Rule("UNKNOWN_CODE", broken, concat(lit(c + " '"), col("__t_" + c).cast("string"), lit("' is not an accepted code")));
    }

    private static Column dept() {
        return substring(col("__t_office_code"), 1, 2).alias("department_code");
    }

    /** The silver columns beyond the contract's (docs/tables.md), computed from the typed ones. */
    static List<Column> derived(Source s) {
        return switch (s) {
            case DECLARATIONS -> List.of(
                    col("__ref_direction").alias("direction"), dept(),
                    substring(col("__t_channel"), 1, 1).alias("channel_code"), col("__t_channel").alias("channel_raw"),
                    col("__t_status").isin(1, 2).alias("is_cancelled"),
                    to_date(col("__t_registered_at")).alias("registration_date"),
                    year(col("__t_registered_at")).alias("registration_year"));
            case DECLARATION_EVENTS -> List.of(col("__t_channel").alias("channel_code"),
                    year(col("__t_event_at")).alias("event_year"));
            case NSW_DOSSIERS -> List.of(dept(), year(col("__t_submitted_at")).alias("submitted_year"));
            case EMANIFEST -> List.of(dept(), year(col("__t_declared_at")).alias("declared_year"));
            case CERTIFICATES_OF_ORIGIN, ADMIN_DOSSIERS -> List.of(dept(), year(col("__t_received_at")).alias("received_year"));
            case DOSSIER_REPORTS -> List.of(substring(col("__t_report_month"), 1, 4).cast("int").alias("year"),
                    substring(col("__t_report_month"), 6, 2).cast("int").alias("month"));
            case SATISFACTION_RATINGS -> List.of(dept(), year(col("__t_rated_at")).alias("rated_year"),
                    least(col("__t_officer_level"), col("__t_team_level"), col("__t_office_level")).alias("worst_level"));
            case REVENUE -> List.of(dept(), year(col("__t_collected_on")).alias("year"), month(col("__t_collected_on")).alias("month"));
            case REFORM_TASKS, REVENUE_TARGETS -> List.of();
        };
    }

    /** The silver column list of a source (events drop the raw channel: channel_code replaces it). */
    public static List<String> silverColumns(Source s, Dataset<Row> validated) {
        List<String> out = new ArrayList<>();
        for (String c : validated.columns()) {
            if (LINEAGE.contains(c) || c.equals(REASON) || c.equals(DETAIL)) continue;
            if (s == Source.DECLARATION_EVENTS && c.equals("channel")) continue;
            out.add(c);
        }
        return out;
    }

    /**
     * Marks the second and later rows with the same key and the same update time in one load as
     * DUPLICATE_KEY; the first by file and record number is kept. Rows already rejected keep their reason.
     *
     * <p>One window partitioned by the key alone (not by key and update time), so the shuffle it
     * needs is the one {@link #latestPerKey} needs too: Spark sorts again but does not move the rows
     * a second time.
     */
    public static Dataset<Row> markDuplicates(Source s, Dataset<Row> validated) {
        Column[] keys = s.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        String upd = s.updatedAtColumn();
        Column ok = col(REASON).isNull();
        // Within a key: by update time, rejected rows first, then file and line: the rows that
        // compete for one (key, update time) are adjacent and the kept one comes first.
        WindowSpec w = Window.partitionBy(keys).orderBy(col(upd), ok, col("_source_file"), col("_record_no"));
        Column dup = ok.and(coalesce(lag(ok, 1).over(w), lit(false)))
                .and(coalesce(lag(col(upd), 1).over(w).equalTo(col(upd)), lit(false)));
        Column kept = last(when(not(col("__dup")), concat_ws(":", col("_source_file"), col("_record_no").cast("string"))), true)
                .over(w.rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
        return validated
                .withColumn("__dup", dup)
                .withColumn("__first", kept)
                .withColumn(DETAIL, when(col("__dup"), concat(lit("same key and " + upd + " as "), col("__first"))).otherwise(col(DETAIL)))
                .withColumn(REASON, when(col("__dup"), lit("DUPLICATE_KEY")).otherwise(col(REASON)))
                .drop("__dup", "__first");
    }

    /** The latest valid row per key by the source update time (ties: later file, later line). */
    public static Dataset<Row> latestPerKey(Source s, Dataset<Row> valid) {
        WindowSpec w = Window.partitionBy(s.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
                .orderBy(col(s.updatedAtColumn()).desc(), col("_source_file").desc(), col("_record_no").desc());
        return valid.withColumn("__rn", row_number().over(w)).filter(col("__rn").equalTo(1)).drop("__rn");
    }

    /**
     * STEP_OUT_OF_ORDER on the latest incoming events, against the declaration's other events (incoming
     * ones win over silver ones with the same key). Rule, in event time:
     * (a) any milestone but ARRIVAL (goods may arrive before or after the declaration is lodged) and
     *     REGISTRATION itself, earlier than the declaration's REGISTRATION;
     * (b) CLEARANCE or GATE_OUT earlier than the declaration's RELEASE (release precedes both; clearance and
     *     gate-out may come in either order: goods released under guarantee leave before clearance).
     * Only the incoming event that breaks the order (the later milestone) is rejected; an existing silver
     * event made out of order by a late predecessor stays, and silver.declaration_milestones.is_in_order
     * and the data checks show it.
     *
     * <p>The silver side comes from silver.declaration_milestones: its key is the events' key's first
     * part and it holds each milestone's one event time (events are one row per declaration and
     * milestone), so its registered_at and released_at are the REGISTRATION and RELEASE events in
     * silver, a tenth of the rows to read.
     *
     * @param incoming   latest valid incoming events (declaration_no, milestone, event_at, ...)
     * @param milestones silver.declaration_milestones (declaration_no, registered_at, released_at)
     */
    public static Dataset<Row> markStepsOutOfOrder(Dataset<Row> incoming, Dataset<Row> milestones) {
        // Incoming wins: a REGISTRATION or RELEASE in this load replaces the one in silver.
        Dataset<Row> inAnchors = incoming.groupBy(col("declaration_no")).agg(
                max(when(col("milestone").equalTo("REGISTRATION"), col("event_at"))).alias("__in_reg"),
                max(when(col("milestone").equalTo("RELEASE"), col("event_at"))).alias("__in_rel"));
        Dataset<Row> old = milestones.select(col("declaration_no"), col("registered_at").alias("__old_reg"),
                col("released_at").alias("__old_rel"));
        Dataset<Row> j = incoming.join(inAnchors, "declaration_no", "left").join(old, "declaration_no", "left")
                .withColumn("__reg_at", coalesce(col("__in_reg"), col("__old_reg")))
                .withColumn("__rel_at", coalesce(col("__in_rel"), col("__old_rel")));
        Column a = not(col("milestone").isin("ARRIVAL", "REGISTRATION")).and(col("event_at").lt(col("__reg_at")));
        Column b = col("milestone").isin("CLEARANCE", "GATE_OUT").and(col("event_at").lt(col("__rel_at")));
        Column bad = coalesce(a, lit(false)).or(coalesce(b, lit(false)));
        Column detail = when(coalesce(a, lit(false)), concat(col("milestone"), lit(" at "), col("event_at").cast("string"),
                        lit(" is before REGISTRATION at "), col("__reg_at").cast("string")))
                .otherwise(concat(col("milestone"), lit(" at "), col("event_at").cast("string"),
                        lit(" is before RELEASE at "), col("__rel_at").cast("string")));
        return j.withColumn(DETAIL, when(bad, detail).otherwise(col(DETAIL)))
                .withColumn(REASON, when(bad, lit("STEP_OUT_OF_ORDER")).otherwise(col(REASON)))
                .select(Arrays.stream(incoming.columns()).map(Conform::raw).toArray(Column[]::new));
    }
}
