package vn.customs.cw.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Stages that read only what the stages before them wrote and write tables of their own (the gold
 * marts and the release-time tables both read silver): the pipeline may run them side by side, in
 * one SparkSession, one thread each, when {@link #enabled} says so; otherwise one after the other.
 * Either way each member is logged and checked as its own stage. Running it as a plain
 * {@link Stage} ({@link #run}) runs the members one after the other.
 */
public record SideBySide(List<Stage> stages) implements Stage {
    public SideBySide {
        if (stages.isEmpty()) throw new IllegalArgumentException("SideBySide needs at least one stage");
        stages = List.copyOf(stages);
    }

    public static SideBySide of(Stage... stages) {
        return new SideBySide(List.of(stages));
    }

    @Override
    public String name() {
        return stages.stream().map(Stage::name).collect(Collectors.joining(" + "));
    }

    @Override
    public List<TableWrite> run(RunContext ctx) {
        List<TableWrite> out = new ArrayList<>();
        for (Stage s : stages) out.addAll(s.run(ctx));
        return out;
    }

    /**
     * {@code cw.etl.parallel-gold}: {@code on}, {@code off}, or {@code auto} (the default): side by
     * side for a run of at most {@code cw.etl.incremental-max-days} landing days, whose gold work is
     * a few months' rows and mostly fixed cost (plans, Delta commits, the JIT) that one stage can do
     * while the other's tasks hold the cores; one after the other for a longer run, where each
     * rebuilds whole years and caches and sorts millions of rows (two large sources at once ran a
     * 4 GB heap out of memory at 1 M declarations).
     */
    public static boolean enabled(RunContext ctx) {
        var raw = ctx.config().raw();
        String mode = raw.hasPath("cw.etl.parallel-gold") ? raw.getString("cw.etl.parallel-gold").trim() : "auto";
        switch (mode) {
            case "on":
                return true;
            case "off":
                return false;
            case "auto":
                return ctx.isShortRun();
            default:
                throw new IllegalArgumentException("cw.etl.parallel-gold must be 'auto', 'on' or 'off', got '" + mode + "'");
        }
    }
}
