package vn.customs.cw.cli;

import picocli.CommandLine.ParentCommand;
import vn.customs.cw.config.CwConfig;

import java.util.concurrent.Callable;

/** Base of every subcommand: access to the loaded configuration. */
abstract class CwSubcommand implements Callable<Integer> {
    @ParentCommand
    Cw parent;

    CwConfig config() {
        return parent.config();
    }
}
