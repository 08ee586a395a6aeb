package vn.customs.cw.pipeline;

import java.util.List;
import java.util.Set;

/**
 * Optional extras a stage can tell the pipeline after {@link #run}: years it touched (gold
 * recomputes them), notes for the run log (a missing or empty landing file), and errors that fail
 * the stage although its writes stand (a file rejected for its header).
 */
public interface ReportingStage extends Stage {
    default Set<Integer> affectedYears() { return Set.of(); }

    default List<String> notes() { return List.of(); }

    default List<String> errors() { return List.of(); }

    /**
     * Whether the last run produced something outside the warehouse (the reports stage's PDFs). A
     * stage that writes no table is logged as SKIPPED unless it did: a night that rendered six PDFs
     * must not read "reports SKIPPED" in the run log.
     */
    default boolean producedOutput() { return false; }
}
