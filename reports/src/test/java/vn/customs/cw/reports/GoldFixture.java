package vn.customs.cw.reports;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import vn.customs.cw.spark.Layer;
import vn.customs.cw.spark.Warehouse;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tiny gold warehouse with exactly the columns of docs/tables.md, holding the published figures
 * of the seeds (Quảng Ninh, to end of Sept 2020; Hải Phòng satisfaction 2020), so the rendered
 * reports can be checked against known numbers.
 */
public final class GoldFixture {
    /** Column lists copied from docs/tables.md; the types are the warehouse's conventions. */
    public static final Map<String, String> SCHEMAS = Map.ofEntries(
            Map.entry("reform_tasks", "task_id STRING, department_code STRING, plan_year INT, task_group STRING, "
                    + "task_name STRING, owner_unit STRING, due_date DATE, status STRING, completed_on DATE, is_completed BOOLEAN"),
            Map.entry("admin_dossiers_monthly", "department_code STRING, year INT, month INT, counted_total BIGINT, "
                    + "counted_online BIGINT, counted_in_person BIGINT, counted_post BIGINT, reported_total BIGINT, "
                    + "reported_online BIGINT, reported_in_person BIGINT, reported_post BIGINT, reported_in_person_or_post BIGINT, "
                    + "is_reported_consistent BOOLEAN, is_count_matching_report BOOLEAN, reconciliation_note STRING, "
                    + "prev_year_counted_total BIGINT, prev_year_counted_online BIGINT"),
            Map.entry("nsw_monthly", "department_code STRING, office_code STRING, year INT, month INT, dossiers_submitted BIGINT, "
                    + "dossiers_with_result BIGINT, declarations_with_result BIGINT, prev_year_declarations_with_result BIGINT"),
            Map.entry("emanifest_monthly", "department_code STRING, office_code STRING, year INT, month INT, vehicle_type STRING, "
                    + "movement STRING, movements BIGINT, prev_year_movements BIGINT"),
            Map.entry("co_monthly", "department_code STRING, office_code STRING, year INT, month INT, form STRING, "
                    + "is_electronic BOOLEAN, certificates BIGINT, prev_year_certificates BIGINT"),
            Map.entry("declarations_monthly", "department_code STRING, office_code STRING, year INT, month INT, direction STRING, "
                    + "declarations BIGINT, cancelled BIGINT, invoice_value_usd DOUBLE, tax_amount_vnd DOUBLE, prev_year_declarations BIGINT"),
            Map.entry("enterprise_activity_monthly", "department_code STRING, year INT, month INT, enterprise_tax_code STRING, "
                    + "declarations BIGINT, invoice_value_usd DOUBLE"),
            Map.entry("revenue_monthly", "department_code STRING, year INT, month INT, revenue_vnd DOUBLE, target_mof_vnd DOUBLE, "
                    + "target_gdc_vnd DOUBLE, prev_year_revenue_vnd DOUBLE"),
            Map.entry("trs_campaign_summary", "campaign_id STRING, department_code STRING, office_code STRING, direction STRING, "
                    + "week_start DATE, week_end DATE, follow_up_cutoff DATE, declarations BIGINT, finished BIGINT, unfinished BIGINT, "
                    + "cancelled BIGINT, extreme_values BIGINT, mean_seconds BIGINT, median_seconds BIGINT, p90_seconds BIGINT, "
                    + "min_seconds BIGINT, max_seconds BIGINT, customs_share DOUBLE, agency_share DOUBLE, trader_share DOUBLE, "
                    + "port_share DOUBLE, green_share DOUBLE, yellow_share DOUBLE, red_share DOUBLE, switched BIGINT, "
                    + "prev_campaign_id STRING, prev_mean_seconds BIGINT, change_seconds BIGINT, change_pct DOUBLE, "
                    + "target_seconds BIGINT, meets_target BOOLEAN, rank INT, bottleneck_from STRING, bottleneck_to STRING, "
                    + "bottleneck_party STRING, bottleneck_share DOUBLE, release_before_registration BIGINT"),
            Map.entry("trs_interval_shares", "campaign_id STRING, department_code STRING, office_code STRING, direction STRING, "
                    + "from_milestone STRING, to_milestone STRING, party STRING, mean_seconds DOUBLE, share DOUBLE"),
            Map.entry("trs_excluded_units", "campaign_id STRING, department_code STRING, office_code STRING, declarations BIGINT, reason_code STRING, reason STRING"),
            Map.entry("satisfaction_monthly", "department_code STRING, office_code STRING, team_code STRING, year INT, month INT, "
                    + "subject STRING, level INT, ratings BIGINT"),
            Map.entry("satisfaction_followup", "rating_id STRING, declaration_no STRING, department_code STRING, office_code STRING, "
                    + "team_code STRING, officer_id STRING, rated_at TIMESTAMP, officer_level INT, team_level INT, office_level INT, "
                    + "worst_level INT, comment STRING"));

    public static final String RUN_LOG_SCHEMA = "run_id STRING, command STRING, date_from DATE, date_to DATE, "
            + "started_at TIMESTAMP, ended_at TIMESTAMP, stage STRING, table_name STRING, rows_in BIGINT, rows_loaded BIGINT, "
            + "rows_quarantined BIGINT, delta_version BIGINT, status STRING, error STRING";

    private final SparkSession spark;
    private final Warehouse warehouse;

    public GoldFixture(SparkSession spark, Warehouse warehouse) {
        this.spark = spark;
        this.warehouse = warehouse;
    }

    /** Overwrites (a new Delta version of) one gold table with these rows. */
    public void write(String table, List<Row> rows) {
        String ddl = SCHEMAS.get(table);
        if (ddl == null) throw new IllegalArgumentException("no schema for gold." + table);
        spark.createDataFrame(rows, StructType.fromDDL(ddl)).coalesce(1).write().format("delta")
                .mode("overwrite").option("overwriteSchema", "true").save(warehouse.path(Layer.GOLD, table));
    }

    public void writeRunLog(List<Row> rows) {
        spark.createDataFrame(rows, StructType.fromDDL(RUN_LOG_SCHEMA)).coalesce(1).write().format("delta")
                .mode("overwrite").save(warehouse.path(Layer.OPS, "run_log"));
    }

    static Row row(Object... v) { return RowFactory.create(v); }

    static Date d(String s) { return Date.valueOf(s); }

    /** Every gold table the three reports read. */
    public void writeAll() {
        write("reform_tasks", reformTasks());
        write("admin_dossiers_monthly", dossiers());
        write("nsw_monthly", nsw(1425, 1540));
        write("emanifest_monthly", emanifest());
        write("co_monthly", co());
        write("declarations_monthly", declarations());
        write("enterprise_activity_monthly", enterprises());
        write("revenue_monthly", revenue());
        write("trs_campaign_summary", campaigns());
        write("trs_interval_shares", intervalShares());
        write("trs_excluded_units", List.of(row("QN-2020-1", "20", "20CE", 2L, "TOO_FEW_DECLARATIONS", "2 declarations < 3")));
        write("satisfaction_monthly", satisfaction());
        write("satisfaction_followup", followUp());
    }

    /** 52 tasks of the 2020 plan: 48 completed by end of Sept, one in Oct, three still open; one 2019 task. */
    static List<Row> reformTasks() {
        List<Row> r = new ArrayList<>();
        for (int i = 1; i <= 48; i++) {
            r.add(row("T2020-" + i, "20", 2020, "Cải cách thủ tục hành chính", "Nhiệm vụ đã xong số " + i,
                    "Phòng Nghiệp vụ", d("2020-06-30"), "DONE", d(String.format("2020-%02d-15", 1 + (i % 9))), true));
        }
        r.add(row("T2020-49", "20", 2020, "Hiện đại hóa", "Triển khai hệ thống VASSCM tại cảng Cẩm Phả",
                "Chi cục Hải quan cửa khẩu cảng Cẩm Phả", d("2020-09-30"), "DONE", d("2020-10-20"), true));
        r.add(row("T2020-50", "20", 2020, "Cải cách thủ tục hành chính", "Rà soát, đơn giản hóa thủ tục kiểm tra chuyên ngành",
                "Phòng Nghiệp vụ", d("2020-10-31"), "IN_PROGRESS", null, false));
        r.add(row("T2020-51", "20", 2020, "Hiện đại hóa", "Mở rộng niêm phong hải quan điện tử định vị GPS",
                "Đội Kiểm soát hải quan", d("2020-11-30"), "IN_PROGRESS", null, false));
        r.add(row("T2020-52", "20", 2020, "Đào tạo", "Tập huấn đo thời gian giải phóng hàng đợt 2",
                "Văn phòng Cục", d("2020-12-15"), "NOT_STARTED", null, false));
        r.add(row("T2019-1", "20", 2019, "Đào tạo", "Nhiệm vụ năm trước chưa xong", "Văn phòng Cục", d("2019-12-31"),
                "IN_PROGRESS", null, false));
        return r;
    }

    /** Seed 001: 127,258 dossiers, 119,910 online, 7,329 in person or by post: 19 missing in September. */
    static List<Row> dossiers() {
        List<Row> r = new ArrayList<>();
        for (int m = 1; m <= 8; m++) {
            r.add(row("20", 2020, m, 14000L, 13200L, 600L, 200L, 14000L, 13200L, null, null, 800L, true, true, null, 13000L, 12000L));
        }
        r.add(row("20", 2020, 9, 15258L, 14310L, 700L, 248L, 15258L, 14310L, null, null, 929L, false, true,
                "Báo cáo tháng 9: trực tuyến + trực tiếp/bưu chính thiếu 19 hồ sơ so với tổng số", 13000L, 12000L));
        r.add(row("20", 2020, 10, 99999L, 99999L, 0L, 0L, 99999L, 99999L, null, null, 0L, true, true, null, null, null));
        return r;
    }

    /** NSW declarations with a result: Jan–Sep of 2020 and 2019 sum to the given totals. */
    static List<Row> nsw(long total2020, long total2019) {
        List<Row> r = new ArrayList<>();
        long[] a = split(total2020, 9), b = split(total2019, 9);
        for (int m = 1; m <= 9; m++) {
            r.add(row("20", m % 2 == 0 ? "20BB" : "20CF", 2020, m, a[m - 1] + 10, a[m - 1], a[m - 1], b[m - 1]));
            r.add(row("20", m % 2 == 0 ? "20BB" : "20CF", 2019, m, b[m - 1] + 10, b[m - 1], b[m - 1], null));
        }
        r.add(row("20", "20BB", 2020, 11, 500L, 500L, 500L, null));   // outside the period
        r.add(row("03", "03CC", 2020, 5, 700L, 700L, 700L, null));    // another department
        return r;
    }

    static List<Row> emanifest() {
        List<Row> r = new ArrayList<>();
        long[] a = split(3661, 9), b = split(3001, 9);
        for (int m = 1; m <= 9; m++) {
            r.add(row("20", "20BB", 2020, m, "TRUCK", m % 2 == 0 ? "ENTRY" : "EXIT", a[m - 1], b[m - 1]));
            r.add(row("20", "20BB", 2019, m, "TRUCK", m % 2 == 0 ? "ENTRY" : "EXIT", b[m - 1], null));
        }
        return r;
    }

    static List<Row> co() {
        List<Row> r = new ArrayList<>();
        long[] a = split(130, 9), b = split(154, 9);
        for (int m = 1; m <= 9; m++) {
            r.add(row("20", "20CF", 2020, m, "D", true, a[m - 1], b[m - 1]));
            r.add(row("20", "20CF", 2019, m, "D", true, b[m - 1], null));
            r.add(row("20", "20CF", 2020, m, "D", false, 50L, 50L));   // paper C/O: not in the electronic figure
        }
        return r;
    }

    /** 43,966 declarations and USD 6,649 million in Jan–Sep 2020 (dept 20); 12,371 in 2020 for dept 03. */
    static List<Row> declarations() {
        List<Row> r = new ArrayList<>();
        long[] a = split(43966, 9), b = split(40000, 9);
        for (int m = 1; m <= 9; m++) {
            long imp = a[m - 1] / 2, exp = a[m - 1] - imp;
            r.add(row("20", "20BB", 2020, m, "IMPORT", imp, 3L, 6649e6 / 9 / 2, 1e9, null));
            r.add(row("20", "20CF", 2020, m, "EXPORT", exp, 2L, 6649e6 / 9 / 2, 1e9, null));
            r.add(row("20", "20BB", 2019, m, "IMPORT", b[m - 1], 1L, 5000e6 / 9, 1e9, null));
        }
        long[] c = split(12371, 12);
        for (int m = 1; m <= 12; m++) r.add(row("03", "03CC", 2020, m, "IMPORT", c[m - 1], 0L, 1e6, 1e8, null));
        return r;
    }

    /** 126 enterprises in Jan–Sep 2020, each active in three months (378 monthly rows); 100 in 2019. */
    static List<Row> enterprises() {
        List<Row> r = new ArrayList<>();
        for (int e = 0; e < 126; e++) {
            for (int k = 0; k < 3; k++) {
                int m = 1 + (e + 3 * k) % 9;
                r.add(row("20", 2020, m, String.format("57%08d", e), 5L, 1000.0));
            }
        }
        for (int e = 0; e < 100; e++) r.add(row("20", 2019, 1 + e % 9, String.format("57%08d", e), 4L, 900.0));
        return r;
    }

    /** VND 9,253 billion to Sept 2020 against 9,500 (MOF) and 10,500 (GDC). */
    static List<Row> revenue() {
        List<Row> r = new ArrayList<>();
        long[] a = split(9253, 9);
        for (int m = 1; m <= 9; m++) {
            r.add(row("20", 2020, m, a[m - 1] * 1e9, 9500e9, 10500e9, 900e9));
            r.add(row("20", 2019, m, 900e9, 9000e9, 9800e9, null));
        }
        return r;
    }

    /** Campaign QN-2020-1 (seed 003): imports 10 h 5 min 48 s (-31 min 6 s), exports 2 h 29 min 22 s (-18 min 8 s). */
    static List<Row> campaigns() {
        List<Row> r = new ArrayList<>();
        String c = "QN-2020-1";
        Date ws = d("2020-05-11"), we = d("2020-05-16"), cut = d("2020-06-10");
        r.add(trs(c, "ALL", "IMPORT", ws, we, cut, 778, 36348L, 0.068, "QN-2019-1", 38214L, 36000L, false, null,
                "SI_SUBMITTED", "SI_RESULT", "AGENCY", 0.41));
        r.add(trs(c, "ALL", "EXPORT", ws, we, cut, 481, 8962L, 0.166, "QN-2019-1", 10050L, 10800L, true, null,
                "REGISTRATION", "CHANNEL_ASSIGNED", "PORT", 0.35));
        String[] offices = {"20BB", "20BC", "20CF", "20CG"};
        long[] imp = {40000L, 30000L, 17400L, 50000L};
        long[] exp = {9000L, 7000L, 5400L, 12000L};
        int[] impRank = {3, 2, 1, 4};
        int[] expRank = {3, 2, 1, 4};
        for (int i = 0; i < offices.length; i++) {
            r.add(trs(c, offices[i], "IMPORT", ws, we, cut, 150 + i, imp[i], 0.05 + i * 0.01, "QN-2019-1", imp[i] + 600, 36000L,
                    imp[i] <= 36000L, impRank[i], "SI_SUBMITTED", "SI_RESULT", "AGENCY", 0.4));
            r.add(trs(c, offices[i], "EXPORT", ws, we, cut, 100 + i, exp[i], 0.15, "QN-2019-1", exp[i] - 60, 10800L,
                    exp[i] <= 10800L, expRank[i], "REGISTRATION", "CHANNEL_ASSIGNED", "PORT", 0.3));
        }
        r.add(trs("QN-2019-1", "ALL", "IMPORT", d("2019-05-13"), d("2019-05-18"), d("2019-06-12"), 700, 38214L, 0.07,
                null, null, 36000L, false, null, null, null, null, null));
        return r;
    }

    private static Row trs(String c, String office, String dir, Date ws, Date we, Date cut, long decl, long mean,
                           double customs, String prev, Long prevMean, long target, boolean meets, Integer rank,
                           String bFrom, String bTo, String bParty, Double bShare) {
        Long change = prevMean == null ? null : mean - prevMean;
        Double pct = prevMean == null ? null : (double) change / prevMean;
        return row(c, "20", office, dir, ws, we, cut, decl, decl - 5, 5L, 1L, 2L, mean, mean - 600, mean * 2, 600L, mean * 10,
                customs, 0.3, 0.3, 1 - customs - 0.6, 0.5, 0.4, 0.1, 3L, prev, prevMean, change, pct, target, meets, rank,
                bFrom, bTo, bParty, bShare, 1L);
    }

    static List<Row> intervalShares() {
        List<Row> r = new ArrayList<>();
        String[][] steps = {{"REGISTRATION", "CHANNEL_ASSIGNED", "CUSTOMS"}, {"CHANNEL_ASSIGNED", "SI_RESULT", "AGENCY"},
                {"SI_RESULT", "RELEASE", "CUSTOMS"}};
        String[] offices = {"ALL", "20BB", "20CF"};
        for (String o : offices) {
            for (String dir : new String[]{"IMPORT", "EXPORT"}) {
                double k = dir.equals("IMPORT") ? 3 : 1;
                for (int i = 0; i < steps.length; i++) {
                    r.add(row("QN-2020-1", "20", o, dir, steps[i][0], steps[i][1], steps[i][2], k * 3600 * (i + 1), (i + 1) / 6.0));
                }
            }
        }
        return r;
    }

    /**
     * Hải Phòng 2020 (seed 004 in small): 1,200 sub-department ratings, 95.5% satisfied; April and
     * October; one 2019 month that must not count.
     */
    static List<Row> satisfaction() {
        long[] office = {0, 9, 15, 30, 346, 800};   // by level 1..5
        List<Row> r = new ArrayList<>();
        String[][] units = {{"03CC", "01"}, {"03CC", "02"}, {"03EE", "01"}};
        for (String subject : new String[]{"OFFICER", "TEAM", "OFFICE"}) {
            for (int level = 1; level <= 5; level++) {
                long n = office[level] + ("OFFICER".equals(subject) && level == 5 ? -6 : 0) + ("OFFICER".equals(subject) && level == 3 ? 6 : 0);
                // April gets a third, October the rest, spread over the three units.
                long april = n / 3, october = n - april;
                long[] a = split(april, 3), o = split(october, 3);
                for (int u = 0; u < units.length; u++) {
                    r.add(row("03", units[u][0], units[u][1], 2020, 4, subject, level, a[u]));
                    r.add(row("03", units[u][0], units[u][1], 2020, 10, subject, level, o[u]));
                }
            }
        }
        r.add(row("03", "03CC", "01", 2019, 10, "OFFICE", 1, 5000L));
        return r;
    }

    static List<Row> followUp() {
        return List.of(
                row("R1", "104339917920", "03", "03CC", "01", "CC0123", ts("2020-04-02 09:15:00"), 3, 4, 4, 3,
                        "Thời gian kiểm tra hồ sơ kéo dài"),
                row("R2", "308883922820", "03", "03EE", "01", "CC0456", ts("2020-10-20 14:30:00"), 2, 2, 3, 2,
                        "Công chức hướng dẫn chưa rõ ràng"),
                row("R3", "104339900001", "03", "03CC", "02", "CC0789", ts("2020-10-21 08:00:00"), 1, 2, 2, 1,
                        "Phải chờ đợi quá lâu ở khâu giám sát"),
                row("R0", "104339900000", "03", "03CC", "02", "CC0789", ts("2019-10-21 08:00:00"), 1, 1, 1, 1,
                        "Đánh giá năm trước không thuộc kỳ"));
    }

    static Timestamp ts(String s) {
        // Local Vietnamese time (the test JVM runs in Asia/Ho_Chi_Minh).
        return Timestamp.valueOf(s);
    }

    /** total split into n near-equal parts (the first parts get the remainder). */
    static long[] split(long total, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = total / n + (i < total % n ? 1 : 0);
        return p;
    }
}
