package vn.ndc.sync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import vn.ndc.sync.config.ConfigException;

/** Entry point of the ndc-sync command line. */
@Command(
    name = "ndc-sync",
    mixinStandardHelpOptions = true,
    version = "ndc-sync 0.1.0",
    description = "Keeps the National Data Center synchronized with agency databases.",
    subcommands = {
      LocalCommand.class,
      VerifyCommand.class,
      ReplayCommand.class,
      BenchCommand.class,
      MapCommand.class,
      SchemasCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NdcSync implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Held strongly: java.util.logging forgets levels set on loggers nobody references.
  private static final java.util.logging.Logger APICURIO_JUL =
      java.util.logging.Logger.getLogger("io.apicurio");

  /** Generated Avro types live here; Flink's Avro serializer refuses any other package. */
  static final String AVRO_PACKAGES = "vn.ndc.sync.avro";

  public static void main(String[] args) {
    // The registry client warns on stderr about its shared Vert.x instance at every start, and the
    // MariaDB binlog client logs every connection at INFO: the console is for ndc-sync's output.
    APICURIO_JUL.setLevel(java.util.logging.Level.SEVERE);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
      System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", AVRO_PACKAGES);
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with ndc-sync's error handling: config problems print one clear line. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new NdcSync());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
          }
          commandLine.getErr().println("error: " + e);
          e.printStackTrace(commandLine.getErr());
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
