package vn.customs.cw.cli;

import vn.customs.cw.pipeline.Pipeline;
import vn.customs.cw.pipeline.ReportingStage;
import vn.customs.cw.pipeline.RunContext;
import vn.customs.cw.pipeline.TableWrite;
import vn.customs.cw.reports.ReportService;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The nightly run's last stage: the standard set of leadership reports (reform progress, release
 * time, satisfaction) for every department, year to date through the run's last day, into
 * {@code <out>/reports/<date>/<department>/}. A report without data for the period is skipped and
 * noted; a report that fails is an error of this stage only (the tables stand).
 */
final class ReportsStage implements ReportingStage {
    private final List<String> departments;
    private final String lang;
    private final int parallel;
    private final List<String> notes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int rendered;

    /**
     * @param parallel departments rendered side by side ({@code cw.reports.parallel-departments}): a
     *                 department's set is mostly driver work (small Spark queries, the fill, the PDF
     *                 export) that left one of the two cores idle
     */
    ReportsStage(List<String> departments, String lang, int parallel) {
        if (parallel < 1) throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
        this.departments = List.copyOf(departments);
        this.lang = lang;
        this.parallel = parallel;
    }

    @Override
    public String name() {
        return "reports";
    }

    /** Year to date through {@code day}: {@code 2020-01..2020-09}, or {@code 2020-01} in January. */
    static String yearToDate(LocalDate day) {
        String y = Integer.toString(day.getYear());
        return day.getMonthValue() == 1 ? y + "-01" : y + "-01.." + y + String.format("-%02d", day.getMonthValue());
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        notes.clear();
        errors.clear();
        rendered = 0;
        ctx.warehouse().registerCatalog(ctx.spark());
        ReportService service = new ReportService(ctx.spark(), ctx.config());
        String period = yearToDate(ctx.to());
        java.util.concurrent.ExecutorService pool = Pipeline.threads(Math.max(1, Math.min(parallel, departments.size())), "cw-report");
        try {
            List<java.util.concurrent.Future<ReportService.StandardSet>> sets = new ArrayList<>();
            for (String dept : departments) {
                sets.add(pool.submit(() -> service.renderStandardSet(dept, period, lang, ctx.to(), null)));
            }
            // Noted in the departments' order, whichever finished first.
            for (int i = 0; i < departments.size(); i++) {
                String dept = departments.get(i);
                try {
                    ReportService.StandardSet set = sets.get(i).get();
                    set.rendered().forEach(r -> notes.add(r.pdf().toString()));
                    rendered += set.rendered().size();
                    set.skipped().forEach((k, why) -> notes.add(dept + " " + k + " skipped: " + why));
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.add(dept + ": " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the reports rendered", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of();
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }

    @Override
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public boolean producedOutput() {
        return rendered > 0;
    }
}
