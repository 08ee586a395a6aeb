package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.pipeline.MaintenanceStage;
import vn.customs.cw.pipeline.Pipeline;
import vn.customs.cw.pipeline.Stage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "OPTIMIZE and VACUUM every warehouse table (retention cw.maintenance.vacuum-retention-hours, at least 168 h); "
                + "silver declarations, events and milestones are Z-ordered by declaration_no where a night left overlapping files.")
final class MaintainCommand extends CwSubcommand {
    @Option(names = "--table", paramLabel = "LAYER.TABLE",
            description = "Only this table, e.g. silver.declaration_events (repeatable; default: every table).")
    List<String> tables = new ArrayList<>();

    @Override
    public Integer call() {
        LocalDate today = LocalDate.now(config().zone());
        return EtlRun.run(config(), "maintain", today, today, ctx -> {
            List<Stage> stages = MaintenanceStage.forAllTables(ctx.spark(), ctx.warehouse());
            if (!tables.isEmpty()) {
                List<String> known = stages.stream().map(s -> s.name().substring("maintain:".length())).toList();
                for (String t : tables) {
                    if (!known.contains(t)) throw new IllegalArgumentException("--table " + t + ": no such table; tables: " + known);
                }
                stages = stages.stream().filter(s -> tables.contains(s.name().substring("maintain:".length()))).toList();
            }
            return Pipeline.runStages(ctx, stages, System.out);
        });
    }
}
