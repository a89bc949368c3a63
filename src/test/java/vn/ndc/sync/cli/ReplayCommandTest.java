package vn.ndc.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndc.sync.deliver.DeadLetterReplay;

/** `ndc-sync replay-dead-letters` refuses unclear requests before it touches Kafka. */
class ReplayCommandTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return NdcSync.commandLine()
        .setErr(new PrintWriter(err))
        .setOut(new PrintWriter(new StringWriter()))
        .execute(args);
  }

  @Test
  void itNeedsEitherAJobFileOrTheLocalPipeline(@TempDir Path dir) {
    assertThat(run("replay-dead-letters")).isEqualTo(2);
    assertThat(err.toString()).contains("error: pass either --config FILE or --local");

    assertThat(run("replay-dead-letters", "--local", "--config", dir.resolve("x.yaml").toString()))
        .isEqualTo(2);
  }

  @Test
  void aLocalPipelineThatIsNotRunningIsNamed(@TempDir Path dir) {
    assertThat(run("replay-dead-letters", "--local", "--work-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no running `local` found in " + dir);
  }

  @Test
  void aMissingJobFileAndABadInstantAreConfigErrors(@TempDir Path dir) {
    assertThat(run("replay-dead-letters", "--config", dir.resolve("none.yaml").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("job config not found");

    assertThat(run("replay-dead-letters", "--local", "--since", "yesterday")).isEqualTo(2);
  }

  @Test
  void theFilterSelectsByAgencyRuleAndTime() {
    Instant t = Instant.parse("2026-12-07T08:00:00Z");
    DeadLetterReplay.Filter all = new DeadLetterReplay.Filter(Set.of(), Set.of(), null);
    DeadLetterReplay.Filter some =
        new DeadLetterReplay.Filter(Set.of("civil-registry"), Set.of("person.sex.code"), t);

    assertThat(all.matches("land-registry", "decode.avro", Instant.EPOCH)).isTrue();
    assertThat(some.matches("civil-registry", "person.sex.code", t)).isTrue();
    assertThat(some.matches("civil-registry", "person.sex.code", t.minusMillis(1))).isFalse();
    assertThat(some.matches("land-registry", "person.sex.code", t)).isFalse();
    assertThat(some.matches("civil-registry", "decode.avro", t)).isFalse();
  }
}
