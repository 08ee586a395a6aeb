package vn.customs.cw.cli;

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
    private final List<String> notes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int rendered;

    ReportsStage(List<String> departments, String lang) {
        this.departments = List.copyOf(departments);
        this.lang = lang;
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
        for (String dept : departments) {
            try {
                ReportService.StandardSet set = service.renderStandardSet(dept, period, lang, ctx.to(), null);
                set.rendered().forEach(r -> notes.add(r.pdf().toString()));
                rendered += set.rendered().size();
                set.skipped().forEach((k, why) -> notes.add(dept + " " + k + " skipped: " + why));
            } catch (RuntimeException e) {
                errors.add(dept + ": " + e.getMessage());
            }
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
