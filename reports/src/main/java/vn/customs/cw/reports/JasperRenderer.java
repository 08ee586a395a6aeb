package vn.customs.cw.reports;

import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JRDataSource;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRParameter;
import net.sf.jasperreports.engine.JRStyle;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.design.JRDesignStyle;
import net.sf.jasperreports.engine.design.JasperDesign;
import net.sf.jasperreports.engine.fonts.FontUtil;
import net.sf.jasperreports.engine.xml.JRXmlLoader;
import net.sf.jasperreports.pdf.JRPdfExporter;
import net.sf.jasperreports.pdf.SimplePdfExporterConfiguration;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the JRXML templates, compiles each once per JVM (per font family) and fills and exports
 * them. The font family must be declared in a JasperReports font extension (jasperreports-fonts
 * ships DejaVu with Identity-H, embedded): a family the extensions do not know would silently fall
 * back to Helvetica/WinAnsi and drop every Vietnamese-only letter, so it is refused here.
 */
public final class JasperRenderer {
    static final String BUNDLE = "reports.reports";
    private static final Map<String, JasperReport> COMPILED = new ConcurrentHashMap<>();

    private JasperRenderer() {}

    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static void requireFontExtension(String family) {
        var families = FontUtil.getInstance(DefaultJasperReportsContext.getInstance()).getFontFamilyNames();
        if (!families.contains(family))
            throw new IllegalStateException("font family '" + family + "' (cw.reports.font-family) is not declared in a "
                    + "JasperReports font extension; known: " + families);
    }

    public static JasperReport compiled(String template, String fontFamily) {
        return COMPILED.computeIfAbsent(template + "|" + fontFamily, k -> compile(template, fontFamily));
    }

    private static JasperReport compile(String template, String fontFamily) {
        requireFontExtension(fontFamily);
        String resource = "reports/" + template + ".jrxml";
        try (InputStream in = JasperRenderer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("report template " + resource + " not on the classpath");
            JasperDesign design = JRXmlLoader.load(in);
            for (JRStyle s : design.getStyles()) {
                if (s.getOwnFontName() != null) ((JRDesignStyle) s).setFontName(fontFamily);
            }
            return JasperCompileManager.compileReport(design);
        } catch (JRException | java.io.IOException e) {
            throw new IllegalStateException("cannot compile report template " + resource + ": " + e.getMessage(), e);
        }
    }

    public static JasperPrint fill(String template, String fontFamily, Map<String, Object> params,
                                   JRDataSource rows, Locale locale) {
        Map<String, Object> p = new HashMap<>(params);
        p.put(JRParameter.REPORT_LOCALE, locale);
        p.put(JRParameter.REPORT_RESOURCE_BUNDLE, bundle(locale));
        try {
            return JasperFillManager.fillReport(compiled(template, fontFamily), p, rows);
        } catch (JRException e) {
            throw new IllegalStateException("cannot fill report " + template + ": " + e.getMessage(), e);
        }
    }

    public static void exportPdf(JasperPrint print, Path file, String title) {
        JRPdfExporter exporter = new JRPdfExporter();
        exporter.setExporterInput(new SimpleExporterInput(print));
        exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(file.toFile()));
        SimplePdfExporterConfiguration conf = new SimplePdfExporterConfiguration();
        conf.setMetadataTitle(title);
        conf.setMetadataCreator("customs-warehouse");
        exporter.setConfiguration(conf);
        try {
            exporter.exportReport();
        } catch (JRException e) {
            throw new IllegalStateException("cannot export PDF " + file + ": " + e.getMessage(), e);
        }
    }
}
