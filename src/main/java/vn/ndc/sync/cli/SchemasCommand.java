package vn.ndc.sync.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.RegistryTrust;
import vn.ndc.sync.schemas.RegistryCompatibility;
import vn.ndc.sync.schemas.SchemaFiles;
import vn.ndc.sync.schemas.SchemaSubjects;

/** `ndc-sync schemas`: the data dictionary against the schema registry. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description = "Works with the data dictionary (avro-schemas/) and the schema registry.",
    subcommands = {SchemasCommand.Check.class})
public final class SchemasCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** `ndc-sync schemas check`: is every schema compatible with what the registry holds? */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Asks the registry whether every published schema in the schemas folder is compatible with"
            + " the latest version of its subject, under the registry's compatibility rule, before"
            + " a deploy registers it.",
        "Exit status: 0 all compatible (or not registered yet), 1 some incompatible, 2 bad schema"
            + " file or registry unreachable."
      })
  public static final class Check implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--registry",
        defaultValue = "${env:NDC_REGISTRY_URL:-http://localhost:8080}",
        description =
            "Registry base URL, or its ccompat/v3 API URL (default: $NDC_REGISTRY_URL, else"
                + " ${DEFAULT-VALUE}); `local` prints it as endpoint registry.")
    String registry;

    @Option(
        names = "--registry-ca",
        paramLabel = "PEM",
        description =
            "PEM file of the CA of an HTTPS registry with a private CA (the Kubernetes one: key"
                + " ca.crt of Secret apicurio-registry-tls); default: the JVM's CAs.")
    Path registryCa;

    @Option(
        names = "--schemas",
        defaultValue = "avro-schemas",
        paramLabel = "DIR",
        description = "Folder of .avsc files (default: ${DEFAULT-VALUE}).")
    Path schemas;

    @Option(
        names = "--subject",
        paramLabel = "RECORD=SUBJECT",
        description =
            "Check RECORD (simple or full name) against SUBJECT instead of its usual subject, e.g."
                + " when a job config renames a topic: --subject Person=ndc.person.v2-value.")
    Map<String, String> subjects = new HashMap<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String ca =
          RegistryTrust.truststore(
              registry,
              registryCa == null ? "" : registryCa.toString(),
              "--registry",
              "--registry-ca");
      RegistryCompatibility registryApi =
          new RegistryCompatibility(registry, ca.isEmpty() ? null : Path.of(ca));
      int incompatible = 0;
      for (SchemaFiles.SchemaFile file : SchemaFiles.load(schemas)) {
        String name = file.file().getFileName().toString();
        String override =
            subjects.getOrDefault(
                file.schema().getFullName(), subjects.get(file.schema().getName()));
        Optional<String> subject =
            override != null
                ? Optional.of(override)
                : SchemaSubjects.of(file.schema().getFullName());
        if (subject.isEmpty()) {
          out.printf("%-22s %-24s not published (no subject)%n", name, "-");
          continue;
        }
        RegistryCompatibility.Verdict verdict;
        try {
          verdict = registryApi.check(subject.get(), file.schema());
        } catch (IOException e) {
          throw new ConfigException(e.getMessage() + "; check --registry", e);
        }
        switch (verdict.outcome()) {
          case COMPATIBLE ->
              out.printf("%-22s %-24s compatible (%s)%n", name, subject.get(), verdict.level());
          case NEW_SUBJECT ->
              out.printf("%-22s %-24s compatible (nothing registered yet)%n", name, subject.get());
          case INCOMPATIBLE -> {
            incompatible++;
            out.printf("%-22s %-24s INCOMPATIBLE (%s)%n", name, subject.get(), verdict.level());
            List<String> messages =
                verdict.messages().isEmpty()
                    ? List.of("the registry gave no details")
                    : verdict.messages();
            messages.forEach(m -> out.println("    " + m));
          }
        }
      }
      out.flush();
      return incompatible == 0 ? 0 : 1;
    }
  }
}
