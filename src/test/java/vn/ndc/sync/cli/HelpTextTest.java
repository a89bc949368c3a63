package vn.ndc.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders as written. picocli formats descriptions as format
 * strings: a bare {@code %} makes it print a warning instead, once per rendering, and show the raw
 * text.
 */
class HelpTextTest {

  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    List<CommandLine> commands = new ArrayList<>();
    collect(new CommandLine(new NdcSync()), commands);
    assertThat(commands).hasSizeGreaterThan(6);

    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> usages = new ArrayList<>();
    try {
      for (CommandLine command : commands) {
        usages.add(command.getUsageMessage());
      }
    } finally {
      System.setErr(err);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).as("picocli's warnings").isEmpty();
    assertThat(usages).allSatisfy(u -> assertThat(u).startsWith("Usage: ndc-sync"));
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream()
        .distinct()
        .filter(c -> !"help".equals(c.getCommandName()))
        .forEach(c -> collect(c, into));
  }
}
