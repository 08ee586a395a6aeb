package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import vn.customs.cw.pipeline.MaintenanceStage;
import vn.customs.cw.pipeline.Pipeline;

import java.time.LocalDate;

@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "OPTIMIZE and VACUUM every warehouse table (retention cw.maintenance.vacuum-retention-hours, at least 168 h).")
final class MaintainCommand extends CwSubcommand {
    @Override
    public Integer call() {
        LocalDate today = LocalDate.now(config().zone());
        return EtlRun.run(config(), "maintain", today, today,
                ctx -> Pipeline.runStages(ctx, MaintenanceStage.forAllTables(ctx.spark(), ctx.warehouse()), System.out));
    }
}
