package vn.customs.cw.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** poppler-utils (pdftotext, pdffonts) on a rendered PDF; `./cw setup` installs them. */
final class Pdfs {
    private Pdfs() {}

    /** The PDF text in content-stream order (-raw keeps the lines of a wrapped cell together), whitespace collapsed. */
    static String text(Path pdf) {
        return run("pdftotext", "-raw", "-enc", "UTF-8", pdf.toString(), "-").replaceAll("\\s+", " ");
    }

    static String fonts(Path pdf) {
        return run("pdffonts", pdf.toString());
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(cmd[0] + " not available: install poppler-utils (./cw setup)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
