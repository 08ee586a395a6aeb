package vn.customs.cw.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.data.JRMapCollectionDataSource;
import org.apache.spark.sql.SparkSession;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the leadership PDF reports from the gold tables. Every table is read at one pinned
 * Delta version (see {@link Snapshot}); the PDF footer and a JSON sidecar {@code <file>.json} say
 * which. Parameters are validated before anything is written; the PDF and the sidecar are written
 * to temporary files and moved into place only when the whole report succeeded, so a bad request
 * leaves no file behind.
 */
public final class ReportService {
    private final SparkSession spark;
    private final CwConfig config;
    private final Warehouse warehouse;

    public ReportService(SparkSession spark, CwConfig config) {
        this.spark = spark;
        this.config = config;
        this.warehouse = new Warehouse(config.paths().warehouse());
    }

    /** One report. Throws IllegalArgumentException with a readable message for bad parameters or no data. */
    public RenderResult render(ReportRequest req) {
        if (req.kind() == null) throw new IllegalArgumentException("missing report kind");
        if (req.out() == null) throw new IllegalArgumentException("missing --out file");
        String lang = req.lang() == null || req.lang().isBlank() ? config.reports().defaultLanguage() : req.lang().trim();
        Formats fmt = Formats.of(lang);
        Period period = Period.parse(req.period());
        if (req.campaignId() != null && req.kind() != ReportKind.RELEASE_TIME)
            throw new IllegalArgumentException("--campaign applies to the release-time report only");
        String fontFamily = config.reports().fontFamily();
        JasperRenderer.requireFontExtension(fontFamily);

        Snapshot snapshot = new Snapshot(spark, warehouse, req.asOfRun());
        Reference reference = new Reference(snapshot, config.paths().reference());
        String department = req.department() == null ? null : req.department().trim();
        String departmentName = reference.requireDepartment(department);
        ReportInputs in = new ReportInputs(snapshot, reference, department, departmentName, period,
                req.campaignId() == null || req.campaignId().isBlank() ? null : req.campaignId().trim(), fmt, config);

        Locale locale = fmt.locale();
        ReportContent content = new ReportContent(JasperRenderer.bundle(Locale.forLanguageTag(lang)));
        String campaign = null;
        switch (req.kind()) {
            case REFORM -> new ReformReport(in, content).build();
            case RELEASE_TIME -> {
                ReleaseTimeReport r = new ReleaseTimeReport(in, content);
                r.build();
                campaign = r.campaign();
            }
            case SATISFACTION -> new SatisfactionReport(in, content).build();
        }

        ZonedDateTime now = ZonedDateTime.now(config.zone());
        Map<String, Long> versions = new LinkedHashMap<>(snapshot.versions());
        content.param("P_DEPARTMENT", content.label("label.department", departmentName, department));
        content.param("P_PERIOD", periodLabel(content, period));
        content.param("P_GENERATED", fmt.dateTime(now) + (req.asOfRun() == null ? ""
                : " · --as-of-run " + req.asOfRun()));
        content.param("P_VERSIONS", versions.entrySet().stream().map(e -> e.getKey() + "@v" + e.getValue())
                .collect(Collectors.joining(", ")));
        Map<String, Object> params = new LinkedHashMap<>(content.params());
        content.charts.forEach((name, points) -> params.put(name, new JRMapCollectionDataSource(points)));
        if (req.kind() == ReportKind.RELEASE_TIME) {
            params.putIfAbsent(ReleaseTimeReport.CHART_OFFICES, new JRMapCollectionDataSource(List.of()));
            params.putIfAbsent(ReleaseTimeReport.CHART_STEPS, new JRMapCollectionDataSource(List.of()));
        }

        JasperPrint print = JasperRenderer.fill(req.kind().template(), fontFamily, params,
                new JRMapCollectionDataSource(content.rows()), locale);

        Path out = req.out().toAbsolutePath();
        Path sidecar = out.resolveSibling(out.getFileName() + ".json");
        Path tmpPdf = null, tmpJson = null;
        try {
            Files.createDirectories(out.getParent());
            tmpPdf = Files.createTempFile(out.getParent(), "." + out.getFileName(), ".tmp");
            tmpJson = Files.createTempFile(out.getParent(), "." + sidecar.getFileName(), ".tmp");
            JasperRenderer.exportPdf(print, tmpPdf, content.label("title." + req.kind().template()));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("report", req.kind().template());
            meta.put("department", department);
            meta.put("department_name", departmentName);
            meta.put("period", period.code());
            meta.put("campaign_id", campaign);
            meta.put("language", lang);
            meta.put("as_of_run", snapshot.asOfRun());
            meta.put("generated_at", now.toOffsetDateTime().toString());
            meta.put("warehouse", warehouse.root());
            meta.put("pdf", out.getFileName().toString());
            meta.put("pages", print.getPages().size());
            meta.put("font_family", fontFamily);
            meta.put("tables", versions);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmpJson.toFile(), meta);
            move(tmpPdf, out);
            move(tmpJson, sidecar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + out, e);
        } finally {
            deleteQuietly(tmpPdf);
            deleteQuietly(tmpJson);
        }
        return new RenderResult(req.kind(), out, sidecar, print.getPages().size(), versions);
    }

    /**
     * The standard set for the nightly run: every report for one department and period, in
     * {@code <out>/reports/<runDate>/<department>/}. A report with no data for the period (e.g. no
     * release-time campaign in it) is skipped and named in the returned map; other errors propagate.
     */
    public StandardSet renderStandardSet(String department, String period, String lang, LocalDate runDate, String asOfRun) {
        Period p = Period.parse(period);
        Path dir = config.paths().out().resolve("reports").resolve(runDate.toString()).resolve(department);
        List<RenderResult> done = new ArrayList<>();
        Map<ReportKind, String> skipped = new LinkedHashMap<>();
        for (ReportKind kind : ReportKind.values()) {
            Path file = dir.resolve(kind.template() + "_" + department + "_" + p.code().replace("..", "_") + "_" + lang + ".pdf");
            try {
                done.add(render(new ReportRequest(kind, department, period, null, lang, file, asOfRun)));
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("no data")) throw e;
                skipped.put(kind, e.getMessage());
            }
        }
        return new StandardSet(dir, done, skipped);
    }

    /** What {@link #renderStandardSet} produced. */
    public record StandardSet(Path folder, List<RenderResult> rendered, Map<ReportKind, String> skipped) {}

    static String periodLabel(ReportContent c, Period p) {
        String y = Integer.toString(p.year());
        if (p.wholeYear()) return c.label("period.year", y);
        if (p.fromMonth() == p.toMonth()) return c.label("period.month", y, String.format("%02d", p.fromMonth()));
        return c.label("period.range", y, String.format("%02d", p.fromMonth()), String.format("%02d", p.toMonth()));
    }

    private static void move(Path from, Path to) throws IOException {
        // createTempFile makes the file owner-only; a report is meant to be read by others.
        try {
            Files.setPosixFilePermissions(from, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: keep its default permissions
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort: a temp file */ }
    }
}
