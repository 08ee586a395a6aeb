package vn.customs.cw.cli;

import vn.customs.cw.config.CwConfig;
import vn.customs.cw.pipeline.Stage;

import java.util.List;

/** The stages nightly and backfill run after the ETL core (gold marts, release time, reports). */
final class PipelineStages {
    private PipelineStages() {}

    /** Wired by the lead: gold and report stages, in order. */
    static List<Stage> extra(CwConfig cfg) {
        return List.of();
    }
}
