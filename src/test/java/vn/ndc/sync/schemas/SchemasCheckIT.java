package vn.ndc.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vn.ndc.sync.cli.NdcSync;
import vn.ndc.sync.local.SharedTestStack;

/** Registry-enforced evolution: the shared stack's registry runs with BACKWARD_TRANSITIVE. */
class SchemasCheckIT {

  static final Path SCHEMAS = Path.of(System.getProperty("ndc.project.dir", "."), "avro-schemas");

  private final SharedTestStack stack = SharedTestStack.get();
  private final RegistryCompatibility registry = new RegistryCompatibility(stack.ccompatUrl());

  static Schema person() {
    return schema("Person");
  }

  /** The data dictionary's record {@code name}, as avro-schemas/ has it now. */
  static Schema schema(String name) {
    return SchemaFiles.load(SCHEMAS).stream()
        .filter(f -> f.schema().getName().equals(name))
        .findFirst()
        .orElseThrow()
        .schema();
  }

  /** Person with one field added before lineage, as its JSON. */
  static Schema personWith(String fieldJson) {
    String json = person().toString();
    String edited = json.replace("{\"name\":\"lineage\"", fieldJson + ",{\"name\":\"lineage\"");
    assertThat(edited).isNotEqualTo(json);
    return new Schema.Parser().parse(edited);
  }

  @Test
  void theRegistryRefusesIncompatibleChangesAndCheckNamesTheField() throws IOException {
    String subject = stack.uniqueName("it-schemas") + "-value";
    registry.register(subject, person());

    RegistryCompatibility.Verdict same = registry.check(subject, person());
    assertThat(same.outcome()).isEqualTo(RegistryCompatibility.Outcome.COMPATIBLE);
    assertThat(same.level()).isEqualTo("BACKWARD_TRANSITIVE");

    Schema optionalField =
        personWith(
            "{\"name\":\"bloodType\",\"type\":[\"null\",\"string\"],\"default\":null,"
                + "\"doc\":\"ABO blood type.\",\"classification\":\"sensitive\"}");
    assertThat(registry.check(subject, optionalField).outcome())
        .isEqualTo(RegistryCompatibility.Outcome.COMPATIBLE);

    // A new required field without default: data written with the old schema cannot be read.
    Schema requiredField = personWith("{\"name\":\"bloodType\",\"type\":\"string\"}");
    RegistryCompatibility.Verdict missingDefault = registry.check(subject, requiredField);
    assertThat(missingDefault.outcome()).isEqualTo(RegistryCompatibility.Outcome.INCOMPATIBLE);
    assertThat(String.join("\n", missingDefault.messages())).contains("bloodType");
    assertThatThrownBy(() -> registry.register(subject, requiredField))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("409");

    // A type change: a date of birth as text cannot read the int dates already written.
    Schema retyped =
        new Schema.Parser()
            .parse(
                person()
                    .toString()
                    .replace(
                        "{\"name\":\"dateOfBirth\",\"type\":[\"null\",{\"type\":\"int\","
                            + "\"logicalType\":\"date\"}]",
                        "{\"name\":\"dateOfBirth\",\"type\":[\"null\",\"boolean\"]"));
    assertThat(retyped.getField("dateOfBirth").schema().getTypes().get(1).getType())
        .isEqualTo(Schema.Type.BOOLEAN);
    RegistryCompatibility.Verdict typeChange = registry.check(subject, retyped);
    assertThat(typeChange.outcome()).isEqualTo(RegistryCompatibility.Outcome.INCOMPATIBLE);
    assertThat(String.join("\n", typeChange.messages())).contains("dateOfBirth");
    assertThatThrownBy(() -> registry.register(subject, retyped))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("409");

    assertThat(registry.check(stack.uniqueName("it-schemas-new") + "-value", person()).outcome())
        .isEqualTo(RegistryCompatibility.Outcome.NEW_SUBJECT);
  }

  @Test
  void commandReportsEachSchemaAndFailsOnAnIncompatibleOne() throws IOException {
    // Not ndc.person-value itself: the shared stack's pipeline writes under that subject.
    String subject = stack.uniqueName("it-schemas-cmd") + "-value";
    registry.register(subject, person());
    // "compatible (LEVEL)" only once the registry compared against a version; whether the usual
    // subjects hold one depends on which tests ran before in this JVM.
    String deadLetters = stack.uniqueName("it-schemas-cmd-dlq") + "-value";
    registry.register(deadLetters, schema("DeadLetter"));
    Path dir = stack.newDir("schemas-check");
    for (String file : List.of("Address.avsc", "Lineage.avsc", "DeadLetter.avsc")) {
      Files.copy(SCHEMAS.resolve(file), dir.resolve(file));
    }
    Files.writeString(
        dir.resolve("Person.avsc"),
        personWith("{\"name\":\"bloodType\",\"type\":\"string\"}").toString(true),
        StandardCharsets.UTF_8);

    StringWriter out = new StringWriter();
    CommandLine cli = NdcSync.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    int exit =
        cli.execute(
            "schemas",
            "check",
            "--registry",
            stack.registryUrl(),
            "--schemas",
            dir.toString(),
            "--subject",
            "Person=" + subject,
            "--subject",
            "DeadLetter=" + deadLetters);

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .contains("Address.avsc")
        .contains("not published")
        .containsPattern("Person.avsc +" + subject + " +INCOMPATIBLE \\(BACKWARD_TRANSITIVE\\)")
        .contains("bloodType")
        .containsPattern(
            "DeadLetter.avsc +" + deadLetters + " +compatible \\(BACKWARD_TRANSITIVE\\)");

    String current = stack.uniqueName("it-schemas-current") + "-value";
    registry.register(current, person());
    String unregistered = stack.uniqueName("it-schemas-unregistered") + "-value";

    StringWriter currentOut = new StringWriter();
    CommandLine again = NdcSync.commandLine();
    again.setOut(new PrintWriter(currentOut, true));
    assertThat(
            again.execute(
                "schemas",
                "check",
                "--registry",
                stack.registryUrl(),
                "--schemas",
                SCHEMAS.toString(),
                "--subject",
                "Person=" + current,
                "--subject",
                "DeadLetter=" + unregistered))
        .isZero();
    assertThat(currentOut.toString())
        .containsPattern("Person.avsc +" + current + " +compatible \\(BACKWARD_TRANSITIVE\\)")
        .containsPattern(
            "DeadLetter.avsc +" + unregistered + " +compatible \\(nothing registered yet\\)");
  }

  @Test
  void anHttpsRegistryIsCheckedThroughTheCaGivenToIt() throws IOException {
    String https = stack.registry().httpsUrl();
    String subject = stack.uniqueName("it-schemas-https") + "-value";
    registry.register(subject, person());
    StringWriter out = new StringWriter();
    CommandLine cli = NdcSync.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int exit =
        cli.execute(
            "schemas",
            "check",
            "--registry",
            https,
            "--registry-ca",
            stack.registryCa().toString(),
            "--schemas",
            SCHEMAS.toString(),
            "--subject",
            "Person=" + subject);

    assertThat(exit).isZero();
    assertThat(out.toString())
        .containsPattern("Person.avsc +" + subject + " +compatible \\(BACKWARD_TRANSITIVE\\)");

    StringWriter err = new StringWriter();
    CommandLine untrusting = NdcSync.commandLine();
    untrusting.setOut(new PrintWriter(new StringWriter(), true));
    untrusting.setErr(new PrintWriter(err, true));
    assertThat(
            untrusting.execute(
                "schemas", "check", "--registry", https, "--schemas", SCHEMAS.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("check --registry");
  }
}
