package vn.customs.cw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.ops.RunLock;

@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = "Remove a stale run lock (its process is gone on this host); --force removes any lock.")
final class UnlockCommand extends CwSubcommand {
    @Option(names = "--force", description = "Remove the lock even if its owner looks alive or runs on another host.")
    boolean force;

    @Override
    public Integer call() {
        System.out.println(RunLock.unlock(config().paths().locks(), force));
        return 0;
    }
}
