package vn.customs.cw.reports;

import java.nio.file.Path;
import java.util.Map;

/** A rendered report: the PDF, its JSON sidecar, pages and the Delta version of every table read. */
public record RenderResult(ReportKind kind, Path pdf, Path sidecar, int pages, Map<String, Long> tableVersions) {}
