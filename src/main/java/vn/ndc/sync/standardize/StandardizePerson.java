package vn.ndc.sync.standardize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.job.DeadLetters;

/**
 * Maps each source change to the canonical {@link Person} with the mapping of its agency and table;
 * a change the mapping rejects, or that no mapping covers, becomes a dead letter.
 */
public final class StandardizePerson extends ProcessFunction<SourceChange, Person> {

  private static final long serialVersionUID = 1L;

  private final List<EntityMapping> mappings;
  private transient Map<String, PersonMapper> mappers;
  private transient StandardizeCounters counters;

  public StandardizePerson(List<EntityMapping> mappings) {
    this.mappings = List.copyOf(mappings);
  }

  @Override
  public void open(OpenContext openContext) {
    counters = new StandardizeCounters(getRuntimeContext().getMetricGroup());
    mappers = new HashMap<>();
    for (EntityMapping mapping : mappings) {
      mappers.put(routeKey(mapping.agency(), mapping.table()), new PersonMapper(mapping));
    }
  }

  @Override
  public void processElement(SourceChange change, Context ctx, Collector<Person> out) {
    PersonMapper mapper = mappers.get(routeKey(change.getAgency(), change.getTable()));
    if (mapper == null) {
      counters.deadLettered(change.getAgency(), "mapping.missing");
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.rejected(
              "standardize",
              "mapping.missing",
              "no Person mapping for table "
                  + change.getTable()
                  + " of agency "
                  + change.getAgency()
                  + "; add it to connectors/"
                  + change.getAgency()
                  + "/mapping.yaml",
              change));
      return;
    }
    MappingResult result = mapper.map(change);
    if (result instanceof MappingResult.Mapped mapped) {
      counters.mapped(change.getAgency());
      out.collect(mapped.person());
    } else if (result instanceof MappingResult.Rejected rejected) {
      counters.deadLettered(change.getAgency(), rejected.rule());
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.rejected("standardize", rejected.rule(), rejected.message(), change));
    }
  }

  /** Mappings name tables schema-qualified or bare; both route the same change. */
  static String routeKey(String agency, String table) {
    int dot = table.indexOf('.');
    String bare = dot < 0 ? table : table.substring(dot + 1);
    return agency + "|" + bare;
  }
}
