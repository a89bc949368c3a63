package vn.ndc.sync.standardize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.dedup.Retraction;
import vn.ndc.sync.dedup.SourceIdentity;
import vn.ndc.sync.enrich.MatchKeys;
import vn.ndc.sync.job.DeadLetters;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/**
 * Maps each source change to the canonical {@link Person} with the mapping of its agency and table,
 * or, for the population database (a mapping whose entity is Citizen), to a {@link Citizen} on
 * {@link #POPULATION}; a change the mapping rejects, or that no mapping covers, becomes a dead
 * letter.
 */
public final class StandardizePerson extends ProcessFunction<SourceChange, Person> {

  private static final long serialVersionUID = 1L;

  private final List<EntityMapping> mappings;
  private transient Map<String, PersonMapper> mappers;
  private transient StandardizeCounters counters;
  private transient Map<String, CitizenMapper> citizenMappers;

  /** Side output of the population: changes of tables whose mapping's entity is Citizen. */
  public static final OutputTag<Citizen> POPULATION =
      new OutputTag<>("population", new CompiledAvroTypeInfo<>(Citizen.class));

  public StandardizePerson(List<EntityMapping> mappings) {
    this.mappings = List.copyOf(mappings);
  }

  @Override
  public void open(OpenContext openContext) {
    counters = new StandardizeCounters(getRuntimeContext().getMetricGroup());
    // Loading the reference data takes seconds on a busy machine; done here, it happens while the
    // task deploys and not in front of the first change, which would otherwise wait for it.
    AdminUnits.get();
    mappers = new HashMap<>();
    citizenMappers = new HashMap<>();
    for (EntityMapping mapping : mappings) {
      String route = routeKey(mapping.agency(), mapping.table());
      if (isPopulation(mapping)) {
        citizenMappers.put(route, new CitizenMapper(mapping));
      } else {
        mappers.put(route, new PersonMapper(mapping));
      }
    }
  }

  @Override
  public void processElement(SourceChange change, Context ctx, Collector<Person> out) {
    String route = routeKey(change.getAgency(), change.getTable());
    CitizenMapper citizenMapper = citizenMappers.get(route);
    if (citizenMapper != null) {
      CitizenMapper.Result result = citizenMapper.map(change);
      if (result.citizen() != null) {
        counters.mapped(change.getAgency());
        ctx.output(POPULATION, result.citizen());
      } else {
        counters.deadLettered(change.getAgency(), result.rule());
        ctx.output(
            DeadLetters.TAG,
            DeadLetters.rejected("standardize", result.rule(), result.message(), change));
      }
      return;
    }
    PersonMapper mapper = mappers.get(route);
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
      Person superseded = supersede(mapper, change, mapped.person());
      if (superseded != null) {
        // Ahead of the update: at dedup, where both have the row's key, the update records its
        // version, and a retraction behind it would look like a redelivery.
        counters.retractionSent(change.getAgency());
        out.collect(superseded);
      }
      out.collect(mapped.person());
    } else if (result instanceof MappingResult.Rejected rejected) {
      counters.deadLettered(change.getAgency(), rejected.rule());
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.rejected("standardize", rejected.rule(), rejected.message(), change));
    }
  }

  /**
   * What must go ahead of an update that files the record elsewhere in enrichment (another personal
   * ID, former ID or demographic match key), so that the previous version cannot stay waiting,
   * linked or stored where the update will not pass: the retraction of the before image; or, when
   * the change of ID changes the row's identity itself (an agency that maps no sourceKey is keyed
   * by the ID), a delete of the record under its old identity, which every step and store applies
   * as the row's end there. Null when the update stays on the same keys, the source logged no
   * before image, or that image does not map (then no version of it passed enrichment).
   */
  private static Person supersede(PersonMapper mapper, SourceChange change, Person update) {
    if (change.getBefore() == null || update.getDeleted()) {
      return null;
    }
    if (!(mapper.mapRow(change.getBefore(), update.getLineage())
        instanceof MappingResult.Mapped before)) {
      return null;
    }
    Person previous = before.person();
    if (!SourceIdentity.of(previous).equals(SourceIdentity.of(update))) {
      return Retraction.identityEnd(previous, update);
    }
    boolean matchKeyKept =
        MatchKeys.demographicStepKey(previous).equals(MatchKeys.demographicStepKey(update));
    Person retraction = Retraction.of(previous, update, matchKeyKept);
    return matchKeyKept && !Retraction.anyIdChanged(retraction) ? null : retraction;
  }

  /** True for the mapping of the population database: its rows are citizens, not persons. */
  public static boolean isPopulation(EntityMapping mapping) {
    return "Citizen".equals(mapping.entity());
  }

  /** Mappings name tables schema-qualified or bare; both route the same change. */
  static String routeKey(String agency, String table) {
    int dot = table.indexOf('.');
    String bare = dot < 0 ? table : table.substring(dot + 1);
    return agency + "|" + bare;
  }
}
