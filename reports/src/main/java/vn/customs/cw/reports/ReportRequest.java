package vn.customs.cw.reports;

import java.nio.file.Path;

/**
 * One report to render. {@code campaignId} only for release-time (optional); {@code asOfRun}
 * regenerates from the table versions recorded for that run in ops.run_log (null: latest).
 */
public record ReportRequest(ReportKind kind, String department, String period, String campaignId,
                            String lang, Path out, String asOfRun) {}
