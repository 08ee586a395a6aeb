package vn.customs.cw.contracts;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.Metadata;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static vn.customs.cw.contracts.Column.*;

/**
 * The landing-file contracts. Every source lands as
 * {@code landing/<source>/<yyyy-mm-dd>/<source>_<yyyymmdd>.csv}: UTF-8, comma separated, RFC 4180
 * quoting, one header line with exactly these column names in this order. Timestamps carry their
 * +07:00 offset. {@link #keys()} is the business key of silver (one row per key, the latest
 * {@link #updatedAtColumn()} wins). docs/contracts.md is the human-readable copy; a test keeps the
 * two in step.
 */
public enum Source {
    DECLARATIONS("declarations", "VNACCS/VCIS declaration header, one row per version of a declaration",
            List.of("declaration_no"), "updated_at", List.of(
            req("declaration_no", STRING, "VNACCS declaration number, 12 digits; 1… import, 3… export", "104339917920"),
            req("type_code", STRING, "Type code (mã loại hình), in reference type_codes", "A11"),
            req("office_code", STRING, "Customs sub-department (chi cục) code, in reference offices", "20CF"),
            req("team_code", STRING, "2-digit team (đội) under the office, in reference teams", "01"),
            req("enterprise_tax_code", STRING, "Declarant's 10-digit tax code (mã số thuế)", "5700100256"),
            opt("enterprise_name", STRING, "Declarant's name", "Công ty TNHH Thương mại Hạ Long"),
            req("transport_mode", INT, "1 air, 2 sea container, 3 sea bulk, 4 road, 5 rail, 6 river, 9 other", "4"),
            req("channel", STRING, "Inspection channel as sent: 1 green, 2 yellow, 3 red; a suffix may follow (3D): the channel is the first character", "2"),
            req("status", INT, "0 not cancelled, 1 cancelled during clearance, 2 cancelled after clearance, 3 moved to manual processing", "0"),
            req("registered_at", TIMESTAMP, "Official registration of the declaration", "2020-05-11T08:12:45+07:00"),
            opt("hs_code", STRING, "HS code of the main item (8 digits)", "27011210"),
            opt("invoice_value_usd", MONEY, "Invoice value converted to USD", "125430.50"),
            opt("tax_amount_vnd", VND, "Duties and taxes payable, VND", "48250000"),
            opt("item_count", INT, "Number of goods items on the declaration", "3"),
            req("updated_at", TIMESTAMP, "Source update time of this version; the latest version wins", "2020-05-11T15:40:02+07:00"))),

    DECLARATION_EVENTS("declaration_events", "Clearance milestones, one row per milestone of a declaration",
            List.of("declaration_no", "milestone"), "recorded_at", List.of(
            req("event_id", STRING, "Source identifier of the event row", "104339917920-05"),
            req("declaration_no", STRING, "Declaration the milestone belongs to", "104339917920"),
            req("milestone", STRING, "ARRIVAL, REGISTRATION, CHANNEL_ASSIGNED, CHANNEL_CHANGED, DOC_CHECK_START, DOC_CHECK_END, SUPPLEMENT_REQUESTED, SUPPLEMENT_SUBMITTED, SI_SUBMITTED, SI_RESULT, PHYSICAL_INSPECTION_START, PHYSICAL_INSPECTION_END, TAX_PAID, RELEASE, CLEARANCE, GATE_OUT, CANCELLATION", "DOC_CHECK_END"),
            req("event_at", TIMESTAMP, "When the milestone happened", "2020-05-11T10:02:11+07:00"),
            req("actor", STRING, "Who acted: CUSTOMS, TRADER, AGENCY (other ministry via NSW) or PORT (port, warehouse, carrier)", "CUSTOMS"),
            req("office_code", STRING, "Office where it happened", "20CF"),
            opt("officer_id", STRING, "Customs officer id, for customs actions", "CB20CF017"),
            opt("channel", STRING, "Channel assigned, for CHANNEL_ASSIGNED and CHANNEL_CHANGED (1, 2, 3)", "3"),
            req("recorded_at", TIMESTAMP, "Source update time of this row; the latest wins", "2020-05-11T10:02:15+07:00"))),

    NSW_DOSSIERS("nsw_dossiers", "Specialised-inspection dossiers answered through the National Single Window",
            List.of("dossier_no"), "updated_at", List.of(
            req("dossier_no", STRING, "NSW dossier number", "NSW2020051100123"),
            opt("declaration_no", STRING, "Declaration the result serves, once known", "104339917920"),
            req("office_code", STRING, "Customs office receiving the result", "20BB"),
            req("agency_code", STRING, "Inspecting agency (ministry unit)", "BNNPTNT-BVTV"),
            req("procedure_code", STRING, "NSW procedure code", "BNN-09"),
            req("submitted_at", TIMESTAMP, "Dossier submitted by the trader", "2020-05-11T08:30:00+07:00"),
            opt("result_at", TIMESTAMP, "Inspection result returned to customs", "2020-05-12T14:10:00+07:00"),
            opt("result", STRING, "PASS or FAIL; empty while pending", "PASS"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-05-12T14:10:05+07:00"))),

    EMANIFEST("emanifest", "E-Manifest declarations of vehicles (ships, trucks) entering and leaving",
            List.of("manifest_no"), "updated_at", List.of(
            req("manifest_no", STRING, "E-Manifest declaration number", "EM20CF2020000871"),
            req("office_code", STRING, "Office of the border gate or port", "20CF"),
            req("vehicle_type", STRING, "SHIP, TRUCK or TRAIN", "SHIP"),
            req("movement", STRING, "ENTRY or EXIT", "ENTRY"),
            req("vehicle_id", STRING, "IMO number or plate", "IMO9354387"),
            req("declared_at", TIMESTAMP, "When the movement was declared", "2020-05-11T06:45:00+07:00"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-05-11T06:45:00+07:00"))),

    CERTIFICATES_OF_ORIGIN("certificates_of_origin", "Certificates of origin received (form D through the ASEAN Single Window, and others)",
            List.of("co_no"), "updated_at", List.of(
            req("co_no", STRING, "Certificate reference number", "VN-TH-2020-00123"),
            req("form", STRING, "Form: D (ATIGA), E, AK, AJ, VJ, AI, AANZ", "D"),
            req("is_electronic", BOOLEAN, "true when received electronically (ASW), false on paper", "true"),
            req("exporting_country", STRING, "ISO 3166 alpha-2 of the issuing country", "TH"),
            opt("declaration_no", STRING, "Import declaration it supports", "104339917920"),
            req("office_code", STRING, "Receiving office", "20CF"),
            req("received_at", TIMESTAMP, "When customs received it", "2020-05-11T09:00:00+07:00"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-05-11T09:00:00+07:00"))),

    ADMIN_DOSSIERS("admin_dossiers", "Administrative-procedure dossiers (hồ sơ TTHC) received, one row per dossier",
            List.of("dossier_no"), "updated_at", List.of(
            req("dossier_no", STRING, "Dossier number", "TTHC-20-2020-0001234"),
            req("office_code", STRING, "Receiving office (department-level units use <dept>00)", "20BB"),
            req("procedure_code", STRING, "Administrative procedure code", "1.001234"),
            req("submission_channel", STRING, "ONLINE, IN_PERSON or POST", "ONLINE"),
            req("received_at", TIMESTAMP, "When the dossier was received", "2020-05-11T09:20:00+07:00"),
            opt("resolved_at", TIMESTAMP, "When it was resolved", "2020-05-11T16:00:00+07:00"),
            req("status", STRING, "RECEIVED, RESOLVED or REJECTED", "RESOLVED"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-05-11T16:00:00+07:00"))),

    DOSSIER_REPORTS("dossier_reports", "The department's own monthly count of dossiers received, as reported upwards",
            List.of("department_code", "report_month"), "reported_at", List.of(
            req("department_code", STRING, "Department (cục) code", "20"),
            req("report_month", STRING, "Month reported, yyyy-MM", "2020-09"),
            req("total_received", LONG, "Total dossiers received and handled", "14200"),
            req("online", LONG, "Received online", "13380"),
            opt("in_person", LONG, "Received in person (empty when only the combined figure is given)", "700"),
            opt("post", LONG, "Received by post (empty when only the combined figure is given)", "120"),
            opt("in_person_or_post", LONG, "Combined in person or by post, when the split is not given", "820"),
            req("reported_at", TIMESTAMP, "When the report was filed; the latest wins", "2020-10-05T10:00:00+07:00"))),

    REFORM_TASKS("reform_tasks", "Tasks of the yearly administrative-reform plan, one row per version of a task",
            List.of("task_id"), "updated_at", List.of(
            req("task_id", STRING, "Task identifier, unique across plans", "20-2020-017"),
            req("department_code", STRING, "Department whose plan it is", "20"),
            req("plan_year", INT, "Plan year", "2020"),
            req("task_group", STRING, "PLAN, PROCEDURE_REVIEW, PROCEDURE_PUBLICATION, IT_APPLICATION, INSPECTION, COMMUNICATION", "PROCEDURE_REVIEW"),
            req("task_name", STRING, "Task title", "Rà soát, đơn giản hóa thủ tục hành chính"),
            req("owner_unit", STRING, "Unit responsible", "Phòng Nghiệp vụ"),
            req("due_date", DATE, "Deadline", "2020-09-30"),
            req("status", STRING, "NOT_STARTED, IN_PROGRESS or COMPLETED", "COMPLETED"),
            opt("completed_on", DATE, "Completion date, for COMPLETED", "2020-08-14"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-08-14T17:00:00+07:00"))),

    SATISFACTION_RATINGS("satisfaction_ratings", "Business ratings of a declaration's service (ECUS/VNACCS), since 1 Apr 2020",
            List.of("rating_id"), "updated_at", List.of(
            req("rating_id", STRING, "Rating identifier", "DG-03CC-2020-000123"),
            req("declaration_no", STRING, "Declaration rated", "104339917920"),
            req("office_code", STRING, "Sub-department rated", "03CC"),
            req("team_code", STRING, "Team rated", "01"),
            opt("officer_id", STRING, "Officer rated", "CB03CC004"),
            req("officer_level", INT, "5 Rất hài lòng, 4 Hài lòng, 3 Bình thường, 2 Không hài lòng, 1 Rất không hài lòng", "5"),
            req("team_level", INT, "Same scale, for the team", "4"),
            req("office_level", INT, "Same scale, for the sub-department", "4"),
            opt("comment", STRING, "Free text from the business", "Cán bộ hướng dẫn nhiệt tình"),
            req("rated_at", TIMESTAMP, "When the rating was given", "2020-05-12T09:00:00+07:00"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-05-12T09:00:00+07:00"))),

    REVENUE("revenue", "Budget revenue collected per office and day",
            List.of("office_code", "collected_on"), "updated_at", List.of(
            req("office_code", STRING, "Collecting office", "20CF"),
            req("collected_on", DATE, "Day of collection", "2020-05-11"),
            req("revenue_vnd", VND, "Revenue collected, VND", "35200000000"),
            req("updated_at", TIMESTAMP, "Source update time", "2020-05-11T20:00:00+07:00"))),

    REVENUE_TARGETS("revenue_targets", "Revenue targets set for a department and year by the Ministry (MOF) and the General Department (GDC)",
            List.of("department_code", "target_year", "target_source"), "updated_at", List.of(
            req("department_code", STRING, "Department", "20"),
            req("target_year", INT, "Year", "2020"),
            req("target_source", STRING, "MOF (Bộ Tài chính) or GDC (Tổng cục Hải quan)", "MOF"),
            req("target_vnd", VND, "Target, VND", "9500000000000"),
            req("updated_at", TIMESTAMP, "Source update time; a revised target wins", "2020-01-02T08:00:00+07:00")));

    private final String folder;
    private final String description;
    private final List<String> keys;
    private final String updatedAtColumn;
    private final List<Column> columns;

    Source(String folder, String description, List<String> keys, String updatedAtColumn, List<Column> columns) {
        this.folder = folder;
        this.description = description;
        this.keys = keys;
        this.updatedAtColumn = updatedAtColumn;
        this.columns = columns;
    }

    /** Landing folder name and bronze table name. */
    public String folder() { return folder; }

    /**
     * The sources with a row per declaration or more (declarations, their events, administrative
     * dossiers): millions of rows a year at national volume, where the others have thousands.
     * The pipeline never loads two of them at once.
     */
    public boolean isLarge() {
        return this == DECLARATIONS || this == DECLARATION_EVENTS || this == ADMIN_DOSSIERS;
    }
    public String description() { return description; }
    public List<String> keys() { return keys; }

    /**
     * The file layout of the large silver tables keyed by declaration number, null for the others.
     * Administrative dossiers are left out: their number leads with the department, not the day, so
     * a night's dossiers fall into every department's files whatever the order.
     */
    public Clustering clustering() {
        return this == DECLARATIONS || this == DECLARATION_EVENTS ? Clustering.DECLARATION_NO : null;
    }
    public String updatedAtColumn() { return updatedAtColumn; }
    public List<Column> columns() { return columns; }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The typed schema of the file (timestamps parsed with their offset). */
    public StructType schema() {
        return new StructType(columns.stream()
                .map(c -> new StructField(c.name(), c.type(), c.nullable(), Metadata.empty()))
                .toArray(StructField[]::new));
    }

    /** The landing file of a day: {@code <source>/<yyyy-mm-dd>/<source>_<yyyymmdd>.csv}. */
    public String landingFile(java.time.LocalDate day) {
        return folder + "/" + day + "/" + folder + "_" + day.toString().replace("-", "") + ".csv";
    }

    public static Optional<Source> byFolder(String folder) {
        return Arrays.stream(values()).filter(s -> s.folder.equals(folder)).findFirst();
    }
}
