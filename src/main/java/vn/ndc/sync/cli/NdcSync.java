package vn.ndc.sync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the ndc-sync command line. */
@Command(
    name = "ndc-sync",
    mixinStandardHelpOptions = true,
    version = "ndc-sync 0.1.0",
    description = "Keeps the National Data Center synchronized with agency databases.",
    subcommands = {CommandLine.HelpCommand.class})
public final class NdcSync implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NdcSync()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
