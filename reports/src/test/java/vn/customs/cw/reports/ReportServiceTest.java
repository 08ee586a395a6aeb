package vn.customs.cw.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Warehouse;
import vn.customs.cw.testing.SparkTestBase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;


/** Renders the three reports from the fixture warehouse and reads the PDFs back with poppler. */
class ReportServiceTest extends SparkTestBase {
    /** The fixture warehouse, shared by the class's tests and deleted after them. */
    @TempDir
    static Path dir;
    private static CwConfig cfg;
    private static ReportService service;

    @BeforeEach
    void fixture() throws IOException {
        if (cfg != null) return;
        cfg = testConfig(dir);
        new GoldFixture(spark(), new Warehouse(cfg.paths().warehouse())).writeAll();
        service = new ReportService(spark(), cfg);
    }

    /** Renders each distinct request once per JVM: a render costs a dozen Spark queries. */
    private static final java.util.Map<String, RenderResult> RENDERED = new java.util.HashMap<>();

    private RenderResult render(ReportKind kind, String dept, String period, String campaign, String lang) {
        String name = kind.template() + "-" + dept + "-" + period.replace("..", "_") + "-" + campaign + "-" + lang + ".pdf";
        return RENDERED.computeIfAbsent(name, n -> service.render(
                new ReportRequest(kind, dept, period, campaign, lang, dir.resolve("out").resolve(n), null)));
    }

    private static void contains(String text, String... expected) {
        for (String e : expected) Assertions.assertTrue(text.contains(e), "PDF text should contain '" + e + "' but was:\n" + text);
    }

    @Test
    void reformReportInVietnameseHasTheSeedFigures() throws IOException {
        RenderResult r = render(ReportKind.REFORM, "20", "2020-01..2020-09", null, "vi");
        String t = Pdfs.text(r.pdf());
        contains(t, "BÁO CÁO TIẾN ĐỘ CẢI CÁCH HÀNH CHÍNH", "Cục Hải quan tỉnh Quảng Ninh", "tháng 01–09/2020");
        // 48 of 52: the task completed in October was still open at the end of September.
        contains(t, "hoàn thành 48/52 nhiệm vụ (92,3%)", "Triển khai hệ thống VASSCM tại cảng Cẩm Phả",
                "Rà soát, đơn giản hóa thủ tục kiểm tra chuyên ngành", "Đội Kiểm soát hải quan", "30/11/2020");
        Assertions.assertFalse(t.contains("Nhiệm vụ đã xong số 7 "), "completed tasks are not listed as unfinished");
        Assertions.assertFalse(t.contains("Nhiệm vụ năm trước"), "tasks of another plan year are not counted");
        // Dossiers: the reported parts add up to 127,239, not 127,258, and the report says so.
        contains(t, "127.258", "119.910", "7.329", "CẢNH BÁO ĐỐI CHIẾU SỐ LIỆU",
                "trực tuyến 119.910 + trực tiếp/bưu chính 7.329 = 127.239, khác tổng số 127.258 (chênh lệch 19)");
        Assertions.assertFalse(t.contains("99.999"), "October dossiers are outside the period");
        // Year on year (seed 001).
        contains(t, "1.425", "1.540", "-7,5%", "3.661", "3.001", "+22,0%", "C/O điện tử mẫu D", "130", "154", "-15,6%");
        contains(t, "43.966", "6.649,0", "126 100 +26,0%");
        contains(t, "9.253", "97,4%", "88,1%");
        contains(t, "Thời gian giải phóng hàng", "QN-2020-1", "10 giờ 5 phút 48 giây", "2 giờ 29 phút 22 giây",
                "-31 phút 6 giây -4,9%", "-18 phút 8 giây -10,8%", "6,8%", "16,6%");
        contains(t, "Trang 1 / " + r.pages(), "gold.reform_tasks@v0", "gold.admin_dossiers_monthly@v0");

        JsonNode meta = new ObjectMapper().readTree(r.sidecar().toFile());
        Assertions.assertEquals("reform", meta.get("report").asText(), "sidecar names the report");
        Assertions.assertEquals("2020-01..2020-09", meta.get("period").asText(), "sidecar has the period");
        Assertions.assertEquals(0, meta.get("tables").get("gold.nsw_monthly").asLong(-1), "sidecar has each table's Delta version");
        Assertions.assertEquals(r.tableVersions().size(), meta.get("tables").size(), "sidecar lists every table read");
        Assertions.assertTrue(r.tableVersions().containsKey("gold.enterprise_activity_monthly"), "enterprises come from their own table");
    }

    @Test
    void releaseTimeReportForTheCampaign() {
        RenderResult r = render(ReportKind.RELEASE_TIME, "20", "2020", "QN-2020-1", "vi");
        String t = Pdfs.text(r.pdf());
        contains(t, "KẾT QUẢ ĐO THỜI GIAN GIẢI PHÓNG HÀNG", "Đợt đo QN-2020-1: tuần đo từ 11/05/2020 đến 16/05/2020",
                "10 giờ 5 phút 48 giây (10:05:48)", "2 giờ 29 phút 22 giây (2:29:22)",
                "-31 phút 6 giây", "-4,9%", "-18 phút 8 giây", "-10,8%", "6,8%", "16,6%");
        contains(t, "Chi cục Hải quan cửa khẩu cảng Hòn Gai (20CF)", "4 giờ 50 phút 0 giây", "Đạt / 1", "Không đạt / 4");
        contains(t, "Đăng ký kiểm tra chuyên ngành → Có kết quả kiểm tra chuyên ngành", "Cơ quan kiểm tra chuyên ngành",
                "Toàn Cục", "41,0%");
        contains(t, "Chi cục Hải quan cửa khẩu cảng Vạn Gia (20CE)", "Quá ít tờ khai trong tuần đo: 2 < mức tối thiểu 3");
        contains(t, "50,0% / 40,0% / 10,0%");   // green / yellow / red
        contains(t, "Tờ khai giải phóng trước thời điểm đăng ký (không tính vào thời gian)");
        Assertions.assertTrue(r.tableVersions().containsKey("gold.trs_interval_shares"), "the step chart reads the interval shares");

        // Without --campaign: the campaign whose week starts in the period.
        RenderResult byPeriod = render(ReportKind.RELEASE_TIME, "20", "2020-05", null, "vi");
        contains(Pdfs.text(byPeriod.pdf()), "Đợt đo QN-2020-1");
    }

    @Test
    void satisfactionReport() {
        RenderResult r = render(ReportKind.SATISFACTION, "03", "2020", null, "vi");
        String t = Pdfs.text(r.pdf());
        contains(t, "MỨC ĐỘ HÀI LÒNG CỦA DOANH NGHIỆP", "Cục Hải quan thành phố Hải Phòng",
                "Số tờ khai được đánh giá: 1.200 (9,7% tổng số tờ khai)", "Tỷ lệ hài lòng và rất hài lòng: 95,5%");
        contains(t, "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng", "800", "346");
        contains(t, "Chi cục Hải quan cửa khẩu cảng Hải Phòng khu vực I (03CC)", "03CC – Đội Kiểm soát hải quan");
        contains(t, "104339917920", "Thời gian kiểm tra hồ sơ kéo dài", "Công chức hướng dẫn chưa rõ ràng",
                "Phải chờ đợi quá lâu ở khâu giám sát");
        Assertions.assertFalse(t.contains("Đánh giá năm trước"), "2019 follow-ups are outside the period");
        Assertions.assertFalse(t.contains("6.200"), "2019 ratings are outside the period");
    }

    @Test
    void everyFontIsEmbeddedIdentityHAndVietnameseLettersSurvive() {
        for (RenderResult r : List.of(render(ReportKind.REFORM, "20", "2020-01..2020-09", null, "vi"),
                render(ReportKind.SATISFACTION, "03", "2020", null, "vi"),
                render(ReportKind.RELEASE_TIME, "20", "2020", "QN-2020-1", "vi"))) {
            String fonts = Pdfs.fonts(r.pdf());
            List<String> lines = fonts.lines().skip(2).filter(l -> !l.isBlank()).toList();
            Assertions.assertFalse(lines.isEmpty(), "pdffonts lists fonts: " + fonts);
            for (String l : lines) {
                Assertions.assertTrue(l.contains("Identity-H"), "font not Identity-H: " + l);
                Assertions.assertTrue(l.matches(".*\\byes\\s+(yes|no)\\s+(yes|no)\\s+\\d+\\s+\\d+\\s*$"), "font not embedded: " + l);
            }
            Assertions.assertFalse(fonts.contains("Helvetica"), "a substitute font (Helvetica) was used:\n" + fonts);
            String t = Pdfs.text(r.pdf());
            // Letters only Vietnamese has: a substitute WinAnsi font would drop them silently.
            for (String s : new String[]{"ờ", "ả", "ố", "ậ", "ủ", "Đ"}) Assertions.assertTrue(t.contains(s), "letter " + s + " lost in " + r.pdf());
        }
        Assertions.assertThrows(IllegalStateException.class, () -> JasperRenderer.requireFontExtension("No Such Sans"),
                "an undeclared font family is refused, not silently replaced");
    }

    @Test
    void englishRender() {
        RenderResult r = render(ReportKind.REFORM, "20", "2020-01..2020-09", null, "en");
        String t = Pdfs.text(r.pdf());
        contains(t, "ADMINISTRATIVE REFORM PROGRESS", "48 of 52 tasks completed (92.3%)", "1,425", "-7.5%",
                "127,258", "10 h 5 min 48 s", "DATA RECONCILIATION WARNING", "Page 1 / ");
        RenderResult s = render(ReportKind.SATISFACTION, "03", "2020", null, "en");
        contains(Pdfs.text(s.pdf()), "Very satisfied", "95.5%", "1,200");
    }

    @Test
    void badParametersGiveClearErrorsAndNoFile() throws IOException {
        Path out = dir.resolve("bad").resolve("x.pdf");
        record Case(ReportKind kind, String dept, String period, String campaign, String lang, String message) {}
        for (Case c : List.of(
                new Case(ReportKind.REFORM, "99", "2020", null, "vi", "unknown department '99'"),
                new Case(ReportKind.REFORM, "", "2020", null, "vi", "missing --department"),
                new Case(ReportKind.REFORM, "20", "2020-13", null, "vi", "invalid period '2020-13'"),
                new Case(ReportKind.REFORM, "20", "", null, "vi", "empty period"),
                new Case(ReportKind.REFORM, "20", "2020-01..2021-03", null, "vi", "spans two years"),
                new Case(ReportKind.REFORM, "20", "2015", null, "vi", "no data for department 20 in period 2015"),
                new Case(ReportKind.SATISFACTION, "20", "2020", null, "vi", "no data for department 20 in period 2020"),
                new Case(ReportKind.RELEASE_TIME, "20", "2018", null, "vi", "no data for department 20 in period 2018"),
                new Case(ReportKind.RELEASE_TIME, "20", "2020", "QN-1999-9", "vi", "unknown campaign 'QN-1999-9'"),
                new Case(ReportKind.REFORM, "20", "2020", null, "fr", "unknown language 'fr'"))) {
            var e = Assertions.assertThrows(IllegalArgumentException.class,
                    () -> service.render(new ReportRequest(c.kind, c.dept, c.period, c.campaign, c.lang, out, null)), c.toString());
            Assertions.assertTrue(e.getMessage().contains(c.message), "message for " + c + " was: " + e.getMessage());
            Assertions.assertFalse(Files.exists(out), "no PDF after a failure: " + c);
            Assertions.assertFalse(Files.exists(out.resolveSibling("x.pdf.json")), "no sidecar after a failure: " + c);
            if (Files.isDirectory(out.getParent())) {
                try (Stream<Path> s = Files.list(out.getParent())) {
                    Assertions.assertEquals(List.of(), s.toList(), "no temp file left behind: " + c);
                }
            }
        }
    }

    @Test
    void asOfRunRereadsTheVersionsThatRunRecorded(@TempDir Path d2) throws IOException {
        CwConfig c2 = testConfig(d2);
        GoldFixture fx = new GoldFixture(spark(), new Warehouse(c2.paths().warehouse()));
        fx.write("reform_tasks", GoldFixture.reformTasks());
        fx.write("nsw_monthly", GoldFixture.nsw(1425, 1540));      // v0, written by R1
        fx.write("nsw_monthly", GoldFixture.nsw(1999, 1540));      // v1, written by R2
        fx.writeRunLog(List.of(
                runLog("R1", "gold.reform_tasks", 0L, "2020-10-01 01:00:00", "SUCCEEDED"),
                runLog("R1", "gold.nsw_monthly", 0L, "2020-10-01 01:00:00", "SUCCEEDED"),
                runLog("R2", "gold.nsw_monthly", 1L, "2020-10-02 01:00:00", "SUCCEEDED"),
                runLog("R3", "gold.reform_tasks", 7L, "2020-10-01 12:00:00", "FAILED")));
        ReportService s2 = new ReportService(spark(), c2);
        Path out = d2.resolve("out");

        RenderResult r1 = s2.render(new ReportRequest(ReportKind.REFORM, "20", "2020-01..2020-09", null, "vi", out.resolve("r1.pdf"), "R1"));
        contains(Pdfs.text(r1.pdf()), "1.425", "-7,5%", "--as-of-run R1", "gold.nsw_monthly@v0");
        Assertions.assertEquals(0L, r1.tableVersions().get("gold.nsw_monthly"), "R1 wrote version 0");

        // R2 did not write reform_tasks: the latest version a successful run wrote before it (R1's;
        // the failed R3 does not count).
        RenderResult r2 = s2.render(new ReportRequest(ReportKind.REFORM, "20", "2020-01..2020-09", null, "vi", out.resolve("r2.pdf"), "R2"));
        contains(Pdfs.text(r2.pdf()), "1.999", "+29,8%");
        Assertions.assertEquals(1L, r2.tableVersions().get("gold.nsw_monthly"), "R2 wrote version 1");
        Assertions.assertEquals(0L, r2.tableVersions().get("gold.reform_tasks"), "reform_tasks as of before R2");
        JsonNode meta = new ObjectMapper().readTree(r2.sidecar().toFile());
        Assertions.assertEquals("R2", meta.get("as_of_run").asText(), "sidecar records the run");
        Assertions.assertEquals(1, meta.get("tables").get("gold.nsw_monthly").asInt(), "sidecar records the version read");

        var e = Assertions.assertThrows(IllegalArgumentException.class, () -> s2.render(new ReportRequest(ReportKind.REFORM,
                "20", "2020", null, "vi", out.resolve("r9.pdf"), "R9")));
        Assertions.assertTrue(e.getMessage().contains("unknown run 'R9'"), e.getMessage());
        Assertions.assertFalse(Files.exists(out.resolve("r9.pdf")), "no file for an unknown run");
    }

    @Test
    void aCampaignSummaryWrittenBeforeTheReleaseBeforeRegistrationCountStillRenders(@TempDir Path d3) throws IOException {
        // --as-of-run can read a summary version older than the column: the line shows "—", the rest stands.
        CwConfig c3 = testConfig(d3);
        Warehouse wh = new Warehouse(c3.paths().warehouse());
        new GoldFixture(spark(), wh).writeAll();
        spark().read().format("delta").load(wh.path(vn.customs.cw.spark.Layer.GOLD, "trs_campaign_summary"))
                .drop("release_before_registration").coalesce(1).write().format("delta").mode("overwrite")
                .option("overwriteSchema", "true").save(wh.path(vn.customs.cw.spark.Layer.GOLD, "trs_campaign_summary"));
        RenderResult r = new ReportService(spark(), c3).render(new ReportRequest(ReportKind.RELEASE_TIME, "20", "2020",
                "QN-2020-1", "vi", d3.resolve("out/old.pdf"), null));
        String t = Pdfs.text(r.pdf());
        contains(t, "10 giờ 5 phút 48 giây (10:05:48)", "Tờ khai giải phóng trước thời điểm đăng ký (không tính vào thời gian)");
        String line = t.lines().filter(l -> l.contains("Tờ khai giải phóng trước thời điểm đăng ký")).findFirst().orElseThrow();
        Assertions.assertTrue(line.contains(Formats.MISSING), "no count in the old summary: '" + line + "'");
    }

    private static org.apache.spark.sql.Row runLog(String run, String table, long version, String endedAt, String status) {
        java.sql.Timestamp end = java.sql.Timestamp.valueOf(endedAt);
        return GoldFixture.row(run, "etl", null, null, end, end, "gold", table, 10L, 10L, 0L, version, status, null);
    }

    @Test
    void standardSetGoesToADatedFolder() {
        var set = service.renderStandardSet("20", "2020-05", "vi", java.time.LocalDate.of(2020, 6, 1), null);
        Assertions.assertTrue(set.folder().endsWith(Path.of("reports", "2020-06-01", "20")), "dated folder: " + set.folder());
        Assertions.assertEquals(List.of(ReportKind.REFORM, ReportKind.RELEASE_TIME),
                set.rendered().stream().map(RenderResult::kind).toList(), "reform and release-time have data in May 2020");
        Assertions.assertTrue(set.skipped().containsKey(ReportKind.SATISFACTION), "satisfaction has no data for dept 20 and is skipped");
        set.rendered().forEach(r -> Assertions.assertTrue(Files.exists(r.pdf()) && Files.exists(r.sidecar()), "written: " + r.pdf()));
    }
}
