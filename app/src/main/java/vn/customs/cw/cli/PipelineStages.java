package vn.customs.cw.cli;

import vn.customs.cw.config.CwConfig;
import vn.customs.cw.gold.GoldMartsStage;
import vn.customs.cw.pipeline.SideBySide;
import vn.customs.cw.pipeline.Stage;
import vn.customs.cw.trs.ReleaseTimeStage;

import java.util.ArrayList;
import java.util.List;

/** The stages nightly and backfill run after the ETL core: gold marts and release time (side by side on a short run), then reports. */
final class PipelineStages {
    private PipelineStages() {}

    static List<Stage> extra(CwConfig cfg, boolean withReports) {
        // Both read silver only and write their own gold tables; the reports read both.
        List<Stage> stages = new ArrayList<>(List.of(SideBySide.of(new GoldMartsStage(), new ReleaseTimeStage())));
        if (withReports) {
            stages.add(new ReportsStage(cfg.raw().getStringList("cw.reports.departments"),
                    cfg.reports().defaultLanguage(), cfg.reports().parallelDepartments()));
        }
        return stages;
    }
}
