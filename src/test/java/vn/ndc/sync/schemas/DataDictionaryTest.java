package vn.ndc.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared data dictionary says what every field holds and how sensitive it is: each field of
 * each record in {@code avro-schemas/*.avsc} (records defined inline included) has a {@code doc}
 * and a {@code classification} of {@code public}, {@code personal} or {@code sensitive}, so that
 * whoever grants access to a topic or a table can tell what it exposes.
 */
class DataDictionaryTest {

  private static final Set<String> CLASSES = Set.of("public", "personal", "sensitive");

  @Test
  void everyFieldIsDocumentedAndClassified() throws Exception {
    List<String> problems = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    try (Stream<Path> files = Files.list(SchemasCheckIT.SCHEMAS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
        check(
            new ObjectMapper().readTree(file.toFile()),
            file.getFileName().toString(),
            fields,
            problems);
      }
    }

    assertThat(fields).hasSizeGreaterThan(50);
    assertThat(problems).isEmpty();
  }

  private static void check(JsonNode type, String where, List<String> fields, List<String> out) {
    if (type.isArray()) {
      type.forEach(t -> check(t, where, fields, out));
      return;
    }
    if (!type.isObject()) {
      return;
    }
    if ("record".equals(type.path("type").asText())) {
      for (JsonNode field : type.path("fields")) {
        String name = where + " " + type.path("name").asText() + "." + field.path("name").asText();
        fields.add(name);
        if (field.path("doc").asText("").isBlank()) {
          out.add(name + ": no doc");
        }
        if (!CLASSES.contains(field.path("classification").asText(""))) {
          out.add(name + ": classification '" + field.path("classification").asText("") + "'");
        }
        check(field.path("type"), where, fields, out);
      }
    } else {
      // arrays' items and maps' values may define records inline
      check(type.path("items"), where, fields, out);
      check(type.path("values"), where, fields, out);
    }
  }
}
