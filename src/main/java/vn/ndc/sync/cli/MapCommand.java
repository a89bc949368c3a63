package vn.ndc.sync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.job.Mappings;
import vn.ndc.sync.standardize.CitizenMapper;
import vn.ndc.sync.standardize.EntityMapping;
import vn.ndc.sync.standardize.MappingResult;
import vn.ndc.sync.standardize.PersonMapper;
import vn.ndc.sync.standardize.StandardizePerson;

/** `ndc-sync map`: runs an agency's mapping and rules on sample rows, without any pipeline. */
@Command(
    name = "map",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the mapping and the quality rules of one agency on sample rows, so an agency can test"
          + " its mapping before it goes live.",
      "Input: one JSON object per line, keys = source columns (numbers and booleans are read as"
          + " text, a missing column as null). Output: per row, in input order, the canonical"
          + " record as one line of JSON (lineage left out: it comes from the source log) or"
          + " 'REJECTED <rule>: <message>'.",
      "Exit status: 0 every row mapped, 1 some rows rejected, 2 bad configuration or input."
    })
public final class MapCommand implements Callable<Integer> {

  /** Exit status when at least one row was rejected. */
  static final int SOME_REJECTED = 1;

  // Big decimals keep 0.1 and long digit strings exactly as the agency wrote them.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Spec CommandSpec spec;

  @Option(
      names = "--connector",
      required = true,
      paramLabel = "DIR",
      description = "Agency folder holding mapping.yaml, e.g. connectors/civil-registry.")
  Path connector;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Rows to map: one JSON object per line (JSON Lines); blank lines are skipped.")
  Path input;

  @Override
  public Integer call() {
    EntityMapping mapping = Mappings.load(connector);
    List<Row> rows = readRows(mapping);
    boolean population = StandardizePerson.isPopulation(mapping);
    PersonMapper mapper = population ? null : new PersonMapper(mapping);
    CitizenMapper citizens = population ? new CitizenMapper(mapping) : null;
    PrintWriter out = spec.commandLine().getOut();
    int rejected = 0;
    Instant now = Instant.now();
    for (Row row : rows) {
      if (population) {
        CitizenMapper.Result r = citizens.mapRow(row.values(), lineage(mapping, row.line(), now));
        out.println(
            r.citizen() != null
                ? toJson(r.citizen())
                : "REJECTED " + r.rule() + ": " + r.message());
        rejected += r.citizen() == null ? 1 : 0;
        continue;
      }
      MappingResult result = mapper.mapRow(row.values(), lineage(mapping, row.line(), now));
      if (result instanceof MappingResult.Mapped mapped) {
        out.println(toJson(mapped.person()));
      } else if (result instanceof MappingResult.Rejected r) {
        out.println("REJECTED " + r.rule() + ": " + r.message());
        rejected++;
      }
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    err.printf("%d rows: %d mapped, %d rejected%n", rows.size(), rows.size() - rejected, rejected);
    err.flush();
    return rejected == 0 ? 0 : SOME_REJECTED;
  }

  private record Row(int line, Map<String, String> values) {}

  /** Reads every row before mapping any, so a bad line fails the run without partial output. */
  private List<Row> readRows(EntityMapping mapping) {
    List<String> lines;
    try {
      lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(input + ": no such file; pass the rows with --input <file>", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(input + ": not UTF-8; save the rows as UTF-8", e);
    } catch (IOException e) {
      throw new ConfigException(input + ": cannot read (" + e.getMessage() + ")", e);
    }
    Set<String> columns = mapping.sourceColumns();
    Set<String> unmapped = new TreeSet<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      int line = i + 1;
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw badLine(line, "not valid JSON (" + e.getOriginalMessage() + ")");
      }
      if (node == null || !node.isObject()) {
        throw badLine(line, "expected a JSON object of column values, e.g. {\"ho_ten\": \"...\"}");
      }
      // Every mapped column is present: a column absent from a sample row is simply empty.
      Map<String, String> values = new HashMap<>();
      columns.forEach(c -> values.put(c, null));
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> column = it.next();
        values.put(column.getKey(), text(line, column.getKey(), column.getValue()));
        if (!columns.contains(column.getKey())) {
          unmapped.add(column.getKey());
        }
      }
      rows.add(new Row(line, values));
    }
    if (!unmapped.isEmpty()) {
      // Not an error (a table has columns no field needs), but a typo would silently be null.
      spec.commandLine()
          .getErr()
          .println(
              "note: columns not read by " + mapping.origin() + ": " + String.join(", ", unmapped));
    }
    return rows;
  }

  private ConfigException badLine(int line, String problem) {
    return new ConfigException(input + " line " + line + ": " + problem);
  }

  private String text(int line, String column, JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return value.decimalValue().toPlainString();
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    throw badLine(
        line, "column '" + column + "' holds a JSON object or array; give a text or number value");
  }

  // A dry run has no source log: the position names the input line instead.
  private Lineage lineage(EntityMapping mapping, int line, Instant now) {
    return Lineage.newBuilder()
        .setSourceAgency(mapping.agency())
        .setSourceDatabase("")
        .setSourceTable(mapping.table())
        .setOperation("c")
        .setSourcePosition(input.getFileName() + ":" + line)
        .setSourceVersion(line)
        .setSourceCommitTime(now)
        .setIngestTime(now)
        .setSchemaVersion(mapping.version())
        .build();
  }

  static String toJson(GenericRecord record) {
    try {
      return JSON.writeValueAsString(readable(record, Set.of("lineage")));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + record.getSchema().getName(), e);
    }
  }

  /** Fields in schema order, nulls left out, dates and codes as text. */
  private static Map<String, Object> readable(GenericRecord record, Set<String> skip) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (value == null || skip.contains(field.name())) {
        continue;
      }
      out.put(
          field.name(),
          value instanceof GenericRecord nested ? readable(nested, Set.of()) : plain(value));
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value instanceof Boolean || value instanceof Number) {
      return value;
    }
    return value.toString();
  }
}
