package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;

/**
 * The composed stage on a MiniCluster, with Kryo disabled and population and agency records racing
 * each other: however they interleave, the outcome is the same.
 */
class EnrichTopologyTest {

  @Test
  void theStageConvergesToOnePersonPerCitizenWithTheAmbiguousInReview() throws Exception {
    List<AgencyVariations.Case> cases = new AgencyVariations(60, 4, 7L).cases();
    List<Citizen> citizens = new ArrayList<>();
    List<Person> records = new ArrayList<>();
    int ambiguous = 0;
    for (AgencyVariations.Case c : cases) {
      citizens.add(c.citizen());
      if (c.twin() != null) {
        citizens.add(c.twin());
      }
      records.addAll(c.records());
      ambiguous += c.ambiguousRecords().size();
    }

    Map<String, String> latest = latestOutcomes(citizens, records);

    long persons =
        latest.entrySet().stream()
            .filter(e -> e.getKey().startsWith("ndc|") && e.getValue().startsWith("false"))
            .count();
    long waiting =
        latest.entrySet().stream()
            .filter(e -> e.getKey().startsWith("review|") && e.getValue().endsWith("WAITING"))
            .count();
    assertThat(persons).isEqualTo(cases.size());
    assertThat(waiting).isEqualTo(ambiguous);
    for (AgencyVariations.Case c : cases) {
      String merged = latest.get("ndc|" + c.citizen().getPersonalId());
      assertThat(merged).isNotNull();
      for (String agency : c.resolvingAgencies()) {
        assertThat(merged).contains(agency);
      }
    }
  }

  /**
   * Runs the stage on {@code citizens} and {@code records} (parallelism 2, Kryo off) and returns
   * the last word on each merged person ({@code ndc|<key>} → {@code <deleted>|<sources>}) and
   * review ({@code review|<review key>} → status).
   */
  private static Map<String, String> latestOutcomes(List<Citizen> citizens, List<Person> records)
      throws Exception {
    Configuration config = new Configuration();
    config.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    EnrichTopology.Result result =
        EnrichTopology.apply(
            env.fromData(new AvroTypeInfo<>(Citizen.class), citizens.toArray(Citizen[]::new)),
            env.fromData(new AvroTypeInfo<>(Person.class), records.toArray(Person[]::new)),
            new EnrichTopology.Settings(
                Duration.ofDays(1),
                Duration.ofDays(30),
                List.of("population", "civil-registry", "health-insurance", "land-registry"),
                Duration.ofDays(7),
                false));
    DataStream<String> out =
        result
            .merged()
            .map(p -> "ndc|" + p.getPersonKey() + "|" + p.getDeleted() + "|" + p.getSources())
            .returns(Types.STRING)
            .union(
                result
                    .reviews()
                    .map(r -> "review|" + r.getReviewKey() + "|" + r.getStatus())
                    .returns(Types.STRING));

    Map<String, String> latest = new HashMap<>();
    try (CloseableIterator<String> it = out.executeAndCollect("enrich-topology-test")) {
      while (it.hasNext()) {
        String line = it.next();
        // Reviews end with their status; persons are ndc|<key>|<deleted>|<sources>.
        int cut = line.startsWith("review|") ? line.lastIndexOf('|') : line.indexOf('|', 4);
        latest.put(line.substring(0, cut), line.substring(cut + 1));
      }
    }

    return latest;
  }

  @Test
  void aCorrectedRecordLeavesNothingUnderItsOldMatchKeyHoweverThePopulationInterleaves()
      throws Exception {
    Citizen hoa = demographic(citizen("048188000001").name("Lê Thị Hoa"));
    Citizen hong = demographic(citizen("048188000002").name("Lê Thị Hồng"));
    Person before = demographic(person("land-registry").name("Lê Thị Hoa").sourceKey("t-1"));
    Person corrected =
        demographic(person("land-registry").name("Lê Thị Hồng").sourceKey("t-1").version(2));
    Person retraction = TestRecords.retraction(before, corrected);

    // The records in their order from standardize; each citizen raced against them.
    Map<String, String> latest =
        latestOutcomes(List.of(hoa, hong), List.of(before, retraction, corrected));

    assertThat(latest.get("ndc|048188000002")).startsWith("false").contains("land-registry");
    String old = latest.getOrDefault("ndc|048188000001", "never linked");
    assertThat(old.startsWith("false") && old.contains("land-registry"))
        .as("the old name's citizen still holds the row: %s", old)
        .isFalse();
  }

  private static Citizen demographic(TestRecords.CitizenBuilder c) {
    return c.born("1988-11-20").sex(Sex.FEMALE).birthProvince("048").livesIn("48").build();
  }

  private static Person demographic(TestRecords.PersonBuilder p) {
    return p.born("1988-11-20").sex(Sex.FEMALE).livesIn("48").build();
  }
}
