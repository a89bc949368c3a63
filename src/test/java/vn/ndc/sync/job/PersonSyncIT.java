package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.deliver.PersonStoreSink;
import vn.ndc.sync.deliver.Pseudonyms;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.testing.CollectingSink;
import vn.ndc.sync.testing.DashboardQueries;
import vn.ndc.sync.testing.HttpJson;

/**
 * The backbone on real components: rows inserted, updated and deleted in the civil-status register,
 * for citizens of the population database, reach ndc.person_source (the agency record) and
 * ndc.person (the merged citizen, table and topic) exactly, and replaying the raw topics changes
 * nothing.
 */
class PersonSyncIT {

  private static LocalPipeline pipeline;
  private static final Random RANDOM = new Random();

  @BeforeAll
  static void stack() {
    pipeline = SharedTestStack.pipeline();
  }

  /** A fresh personal ID for a man born in Hà Nội in 1990, unique across test runs. */
  private static String personalId() {
    return "001090" + String.format("%06d", RANDOM.nextInt(1_000_000));
  }

  /** A fresh personal ID for a woman born in Hà Nội in 1990 (century/sex digit 1). */
  private static String womansPersonalId() {
    return "001190" + String.format("%06d", RANDOM.nextInt(1_000_000));
  }

  @Test
  void insertsUpdatesAndDeletesReachTheStoreAndTheTopicExactly() throws Exception {
    String an = personalId();
    String binh = personalId();
    String cuong = personalId();
    citizens(
        new String[] {an, "Nguyễn Văn An", "1990-03-15"},
        new String[] {binh, "Trần Hữu Bình", "1990-07-02"},
        new String[] {cuong, "Lê Đức Cường", "1990-01-01"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      src.setAutoCommit(false);
      insert(
          src,
          an,
          "nguyễn   văn an",
          "15/03/1990",
          "Nam",
          "0912 345 678",
          "Số 1, phố Hàng Bạc, phường Hàng Đào, Hà Nội");
      insert(
          src,
          binh,
          "TRẦN HỮU BÌNH",
          "1990-07-02",
          "Nam",
          "+84 98 765 4321",
          "Số 2, đường Lê Lợi, phường Bến Nghé, Thành phố Hồ Chí Minh");
      insert(src, cuong, "Lê Đức Cường", "01/01/1990", "Nam", null, null);
      src.commit();
      try (Statement st = src.createStatement()) {
        st.executeUpdate(
            "UPDATE public.nhan_khau SET dia_chi_thuong_tru = 'Số 9, đường Xuân Thủy, phường Cầu Giấy, Hà Nội'"
                + " WHERE so_dinh_danh = '"
                + an
                + "'");
        st.executeUpdate("DELETE FROM public.nhan_khau WHERE so_dinh_danh = '" + cuong + "'");
      }
      src.commit();
    }

    Map<String, Map<String, Object>> rows =
        awaitRows(
            Set.of(an, binh, cuong),
            r ->
                "d".equals(r.get(cuong).get("source_operation"))
                    && String.valueOf(r.get(an).get("permanent_street_line"))
                        .contains("Xuân Thủy"));

    Map<String, Object> a = rows.get(an);
    assertThat(a)
        .containsEntry("personal_id", an)
        .containsEntry("full_name", "Nguyễn Văn An")
        .containsEntry("date_of_birth", java.sql.Date.valueOf(LocalDate.of(1990, 3, 15)))
        .containsEntry("sex", "MALE")
        .containsEntry("nationality", "VN")
        .containsEntry("phone", "+84912345678")
        .containsEntry("permanent_address_text", "Số 9, đường Xuân Thủy, phường Cầu Giấy, Hà Nội")
        .containsEntry("deleted", false)
        .containsEntry("source_agency", "civil-registry")
        .containsEntry("source_database", "civil_registry")
        .containsEntry("source_table", "public.nhan_khau")
        .containsEntry("source_operation", "u");
    assertThat((String) a.get("source_position")).matches("lsn=[0-9A-F]+/[0-9A-F]+");
    assertThat(a.get("source_commit_time")).isNotNull();

    assertThat(rows.get(binh))
        .containsEntry("full_name", "Trần Hữu Bình")
        .containsEntry("date_of_birth", java.sql.Date.valueOf(LocalDate.of(1990, 7, 2)))
        .containsEntry("phone", "+84987654321")
        .containsEntry("source_operation", "c")
        .containsEntry("deleted", false);
    assertThat(rows.get(cuong))
        .containsEntry("deleted", true)
        .containsEntry("source_operation", "d");
    assertThat(rows.get(binh).get("sources").toString()).isEqualTo("{civil-registry}");
    assertThat(rows.get(binh)).containsEntry("match_method", "PERSONAL_ID");

    // The agency record, with the citizen it was linked to. Its sink is not the merged one's, so
    // it may land a moment later.
    Map<String, Object> record =
        awaitSourceRow("civil-registry", an, r -> "u".equals(r.get("source_operation")));
    assertThat(record)
        .containsEntry("personal_id", an)
        .containsEntry("resolved_personal_id", an)
        .containsEntry("match_method", "PERSONAL_ID")
        .containsEntry("full_name", "Nguyễn Văn An")
        .containsEntry("deleted", false);

    String ref;
    // What an analyst reads of them: local creates the analysts' group, and the store grants it
    // its views, where the citizen is known only by the pseudonym of the personal ID.
    try (Connection ndc = pipeline.postgres().connect("ndc");
        PreparedStatement pseudonym =
            ndc.prepareStatement(
                "SELECT encode(sha256(secret || convert_to(?, 'UTF8')), 'hex')"
                    + " FROM ndc.pseudonym_key")) {
      pseudonym.setString(1, an);
      try (ResultSet rs = pseudonym.executeQuery()) {
        assertThat(rs.next()).isTrue();
        ref = rs.getString(1);
      }
      try (Statement st = ndc.createStatement()) {
        st.execute("SET ROLE " + NdcTables.ANALYST_ROLE);
        try (ResultSet rs =
            st.executeQuery(
                "SELECT p.full_name, s.source_agency FROM ndc_analyst.person p"
                    + " JOIN ndc_analyst.person_source s USING (person_ref)"
                    + " WHERE person_ref = '"
                    + ref
                    + "'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("Nguyễn Văn An");
          assertThat(rs.getString(2)).isEqualTo("civil-registry");
          assertThat(rs.next()).isFalse();
        }
      }
    }

    // The topic: every version in order, decoded through the registry; the delete is a tombstone.
    // The store is written before the topic's transaction commits (at the next checkpoint), so
    // the reader waits for the versions it expects rather than for the committed end.
    Map<String, List<GenericRecord>> versions = readPersonTopic(Map.of(an, 2, binh, 1, cuong, 2));
    assertThat(versions.get(an)).hasSize(2);
    assertThat(versions.get(an).get(0).get("fullName").toString()).isEqualTo("Nguyễn Văn An");
    GenericRecord lastA = versions.get(an).get(1);
    assertThat(((GenericRecord) lastA.get("permanentAddress")).get("originalText").toString())
        .contains("Xuân Thủy");
    assertThat(((GenericRecord) lastA.get("lineage")).get("operation").toString()).isEqualTo("u");
    assertThat(versions.get(binh)).hasSize(1);
    assertThat(versions.get(cuong)).hasSize(2);
    assertThat(versions.get(cuong).get(1)).isNull();

    // The analysts' topic: the same versions under the pseudonym the store's views show, without
    // the sensitive fields; the delete is a tombstone there too.
    Pseudonyms pseudonyms = Pseudonyms.ofStore(PersonSyncJob.storeSettings(pipeline.jobOptions()));
    String anRef = pseudonyms.of(an);
    String cuongRef = pseudonyms.of(cuong);
    assertThat(anRef).isEqualTo(ref);
    Map<String, List<GenericRecord>> seen =
        readTopic("ndc.person-analyst", Map.of(anRef, 2, cuongRef, 2));
    GenericRecord lastSeen = seen.get(anRef).get(1);
    assertThat(lastSeen.get("fullName").toString()).isEqualTo("Nguyễn Văn An");
    assertThat(lastSeen.getSchema().getFields())
        .extracting(org.apache.avro.Schema.Field::name)
        .doesNotContain("personalId", "formerId", "ethnicity", "personKey");
    assertThat(lastSeen.toString()).doesNotContain(an);
    assertThat(seen.get(cuongRef).get(1)).isNull();
  }

  @Test
  void everyValueDecodesWithOnlyTheKafkaAndCcompatEndpoints() throws Exception {
    String id = womansPersonalId();
    citizens(new String[] {id, "Phạm Thị Mai", "1990-10-20"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      insert(src, id, "Phạm Thị Mai", "20/10/1990", "Nữ", null, null);
    }
    awaitRawValue(id);
    // What a Confluent-API client does: magic byte, schema id, schema from the ccompat API.
    Map<Integer, org.apache.avro.Schema> schemas = new HashMap<>();
    int decoded = 0;
    boolean sawOurs = false;
    Map<String, Object> config = consumerConfig();
    config.put("isolation.level", "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> partitions =
          consumer.partitionsFor("ndc.person").stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() == null) {
            continue;
          }
          byte[] value = r.value();
          assertThat(value[0]).as("magic byte of %s", r.key()).isEqualTo((byte) 0);
          int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
          org.apache.avro.Schema schema =
              schemas.computeIfAbsent(schemaId, PersonSyncIT::fetchSchema);
          GenericRecord person =
              new org.apache.avro.generic.GenericDatumReader<GenericRecord>(schema)
                  .read(
                      null,
                      org.apache.avro.io.DecoderFactory.get()
                          .binaryDecoder(value, 5, value.length - 5, null));
          assertThat(person.get("personKey").toString()).isEqualTo(r.key());
          sawOurs |= id.equals(r.key()) && "Phạm Thị Mai".equals(person.get("fullName").toString());
          decoded++;
        }
      }
    }
    assertThat(decoded).isPositive();
    assertThat(sawOurs).isTrue();
  }

  private static org.apache.avro.Schema fetchSchema(int schemaId) {
    try {
      String schemaJson =
          HttpJson.get(pipeline.registry().ccompatUrl() + "/schemas/ids/" + schemaId)
              .path("schema")
              .asText();
      return new org.apache.avro.Schema.Parser().parse(schemaJson);
    } catch (Exception e) {
      throw new AssertionError("schema " + schemaId + " not readable through ccompat", e);
    }
  }

  @Test
  void replayingTheRawTopicsLeavesTheStoreUnchanged() throws Exception {
    String id = personalId();
    citizens(new String[] {id, "Hoàng Văn Sơn", "1990-05-05"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      insert(src, id, "Hoàng Văn Sơn", "05/05/1990", "Nam", null, null);
      try (Statement st = src.createStatement()) {
        st.executeUpdate(
            "UPDATE public.nhan_khau SET ho_ten = 'Hoàng Minh Sơn' WHERE so_dinh_danh = '"
                + id
                + "'");
      }
    }
    awaitRows(Set.of(id), r -> "Hoàng Minh Sơn".equals(r.get(id).get("full_name")));
    awaitCaughtUp();
    List<Map<String, Object>> before = wholeStore();

    Configuration options = pipeline.jobOptions();
    KafkaSource<RawRecord> replay =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(options.get(PersonSyncOptions.KAFKA_BOOTSTRAP_SERVERS))
            .setTopics(pipeline.rawTopics())
            .setGroupId("replay-" + System.nanoTime())
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new RawRecordDeserializer())
            .build();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, FlinkEnvironments.baseConfiguration());
    Map<String, Object> serde = PersonSyncJob.serdeConfig(options);
    PersonStoreSink.Settings store = PersonSyncJob.storeSettings(options);
    PersonSyncJob.defineWorkflow(
        env.fromSource(replay, WatermarkStrategy.noWatermarks(), "replay"),
        serde,
        pipeline.agencies().stream().map(LocalPipeline.Agency::mapping).toList(),
        PersonSyncJob.enrichSettings(options),
        new PersonSyncJob.Sinks(
            PersonStoreSink.persons(store),
            PersonStoreSink.sourceRecords(store),
            CollectingSink.named(
                "replayed-persons", p -> p.getPersonalId() + " " + p.getFullName()),
            new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>(),
            new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>(),
            new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()));
    env.execute("replay");

    assertThat(CollectingSink.received("replayed-persons"))
        .as("the replay sent this test's changes through the job again")
        .contains(id + " Hoàng Văn Sơn", id + " Hoàng Minh Sơn");
    assertThat(wholeStore()).isEqualTo(before);
  }

  /**
   * The Flink Kubernetes Operator upgrades the job through a savepoint ({@code upgradeMode:
   * savepoint}) whenever its image or configuration changes, and rescales it the same way when its
   * parallelism changes: what the job holds in state must come through, redistributed over the new
   * subtasks. Two records wait in review for their citizens before the upgrades; after the job is
   * scaled down to one subtask the first links when its citizen arrives, after it is scaled back up
   * the second (a job that lost its state would leave them waiting for ever: the source does not
   * send them again). The merged topic holds each version once across the stops.
   */
  @Test
  void upgradesAndRescalesThroughSavepointsKeepWhatTheJobHoldsInState() throws Exception {
    String known = personalId();
    String waiting1 = personalId();
    String waiting2 = personalId();
    citizens(new String[] {known, "Đỗ Minh Khoa", "1990-05-20"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      src.setAutoCommit(false);
      insert(src, known, "Đỗ Minh Khoa", "20/05/1990", "Nam", "0912 000 111", null);
      insert(src, waiting1, "Vũ Quang Hải", "11/11/1990", "Nam", null, null);
      insert(src, waiting2, "Hồ Văn Tâm", "12/12/1990", "Nam", null, null);
      src.commit();
    }
    awaitRows(Set.of(known), rows -> true);
    for (String id : List.of(waiting1, waiting2)) {
      assertThat(awaitSourceRow("civil-registry", id, r -> true))
          .as("no citizen yet: in review")
          .containsEntry("resolved_personal_id", null)
          .containsEntry("match_method", null);
    }
    int parallelism = pipeline.jobOptions().get(PersonSyncOptions.PARALLELISM);

    upgrade(1);
    try (Connection src = pipeline.postgres().connect("civil_registry");
        Statement st = src.createStatement()) {
      st.executeUpdate(
          "UPDATE public.nhan_khau SET so_dien_thoai = '0912 000 222' WHERE so_dinh_danh = '"
              + known
              + "'");
    }
    citizens(new String[] {waiting1, "Vũ Quang Hải", "1990-11-11"});
    awaitLinked(waiting1);

    upgrade(parallelism);
    citizens(new String[] {waiting2, "Hồ Văn Tâm", "1990-12-12"});
    awaitLinked(waiting2);

    awaitRows(
        Set.of(known, waiting1, waiting2),
        rows -> "+84912000222".equals(rows.get(known).get("phone")));
    Map<String, List<GenericRecord>> versions =
        readPersonTopic(Map.of(known, 2, waiting1, 1, waiting2, 1));
    assertThat(versions.get(known)).as("one version before the upgrades, one after").hasSize(2);
    assertThat(versions.get(waiting1)).hasSize(1);
    assertThat(versions.get(waiting2)).hasSize(1);
  }

  /**
   * The civil-status register keys its records by personal ID. A row first typed with another
   * citizen's ID, then corrected: the record under the wrong ID ends (deleted in the store, the
   * agency gone from that citizen's merged person) and the record under the right one links to its
   * citizen.
   */
  @Test
  void aCorrectedPersonalIdMovesTheRecordToItsCitizenAndOffTheOtherOne() throws Exception {
    String stranger = personalId();
    String holder = personalId();
    citizens(
        new String[] {stranger, "Trịnh Văn Hùng", "1990-01-01"},
        new String[] {holder, "Lý Văn Bảo", "1990-02-02"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      insert(src, stranger, "Lý Văn Bảo", "02/02/1990", "Nam", null, null);
    }
    awaitLinked(stranger);
    awaitRows(Set.of(stranger), rows -> sourcesOf(rows, stranger).contains("civil-registry"));

    correctCivilPersonalId(stranger, holder);

    awaitLinked(holder);
    awaitEnded("civil-registry", stranger);
    Map<String, Map<String, Object>> persons =
        awaitRows(
            Set.of(stranger, holder),
            rows ->
                sourcesOf(rows, holder).contains("civil-registry")
                    && !sourcesOf(rows, stranger).contains("civil-registry"));
    assertThat(persons.get(holder).get("deleted")).isEqualTo(false);
  }

  @Test
  void aWaitingLandRecordWhoseMistypedIdIsCorrectedEndsUnderItAndLeavesTheReviewQueue()
      throws Exception {
    String holder = personalId();
    String mistyped = personalId(); // no citizen has it
    citizens(new String[] {holder, "Đặng Văn Quý", "1990-04-04"});
    long row;
    try (Connection src = pipeline.postgres().connect("land_registry");
        PreparedStatement st =
            src.prepareStatement(
                "INSERT INTO public.chu_su_dung (ho_va_ten, so_cccd, ngay_sinh, gioi_tinh)"
                    + " VALUES (?,?,'04/04/90','Nam') RETURNING ma_chu")) {
      st.setString(1, "Đặng Văn Quý");
      st.setString(2, mistyped);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        row = rs.getLong(1);
      }
    }
    // The land registry keys its rows by ma_chu (sourceKey); the store keys the record by its ID.
    String reviewKey = "land-registry|chu_su_dung|" + row;
    awaitWaiting("land-registry", mistyped, reviewKey);

    try (Connection src = pipeline.postgres().connect("land_registry");
        Statement st = src.createStatement()) {
      st.executeUpdate(
          "UPDATE public.chu_su_dung SET so_cccd = '" + holder + "' WHERE ma_chu = " + row);
    }

    assertThat(
            awaitSourceRow(
                "land-registry", holder, r -> holder.equals(r.get("resolved_personal_id"))))
        .extractingByKey("match_method")
        .isEqualTo("PERSONAL_ID");
    awaitEndedAndSuperseded("land-registry", mistyped, reviewKey);
  }

  @Test
  void aWaitingCivilRecordWhoseMistypedIdIsCorrectedIsSupersededNotRejected() throws Exception {
    String holder = personalId();
    String mistyped = personalId(); // no citizen has it
    citizens(new String[] {holder, "Tạ Văn Khoa", "1990-06-06"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      insert(src, mistyped, "Tạ Văn Khoa", "06/06/1990", "Nam", null, null);
    }
    // The civil registry maps no sourceKey: the record's identity is its personal ID.
    String waitingKey = "civil-registry|nhan_khau|" + mistyped;
    awaitWaiting("civil-registry", mistyped, waitingKey);

    correctCivilPersonalId(mistyped, holder);

    awaitLinked(holder);
    awaitEndedAndSuperseded("civil-registry", mistyped, waitingKey);
  }

  /**
   * The record under {@code personKey} waits: unlinked in the store, WAITING on the review topic.
   */
  private static void awaitWaiting(String agency, String personKey, String reviewKey)
      throws Exception {
    awaitSourceRow(agency, personKey, r -> r.get("resolved_personal_id") == null);
    assertThat(reviewStatuses(reviewKey, 1)).last().isEqualTo("WAITING");
  }

  /**
   * The record that waited under the mistyped {@code personKey} has ended there (deleted in the
   * store) and left the review queue (SUPERSEDED after its WAITING).
   */
  private static void awaitEndedAndSuperseded(String agency, String personKey, String reviewKey)
      throws Exception {
    awaitEnded(agency, personKey);
    assertThat(reviewStatuses(reviewKey, 2))
        .as("the entries on the review topic under " + reviewKey)
        .containsExactly("WAITING", "SUPERSEDED");
  }

  /** The store's record under the mistyped {@code personKey} ends: deleted, key kept. */
  private static void awaitEnded(String agency, String personKey) throws Exception {
    assertThat(awaitSourceRow(agency, personKey, r -> Boolean.TRUE.equals(r.get("deleted"))))
        .as("the store's record under the mistyped ID ends")
        .isNotNull();
  }

  /** The civil registry corrects the personal ID {@code from} of its row to {@code to}. */
  private static void correctCivilPersonalId(String from, String to) throws Exception {
    try (Connection src = pipeline.postgres().connect("civil_registry");
        PreparedStatement st =
            src.prepareStatement(
                "UPDATE public.nhan_khau SET so_dinh_danh = ? WHERE so_dinh_danh = ?")) {
      st.setString(1, to);
      st.setString(2, from);
      st.executeUpdate();
    }
  }

  /** The statuses the review topic holds for {@code reviewKey}, once it holds at least n. */
  private static List<String> reviewStatuses(String reviewKey, int n) {
    return readTopic("review.person-unmatched", Map.of(reviewKey, n))
        .getOrDefault(reviewKey, List.of())
        .stream()
        .map(r -> String.valueOf(r.get("status")))
        .toList();
  }

  // The agencies of a merged person, or "" once no agency holds it (deleted).
  private static String sourcesOf(Map<String, Map<String, Object>> rows, String personalId) {
    Map<String, Object> row = rows.get(personalId);
    return row == null || Boolean.TRUE.equals(row.get("deleted"))
        ? ""
        : String.valueOf(row.get("sources"));
  }

  /** Upgrades the shared pipeline's job through a savepoint to {@code parallelism}, checked. */
  private static void upgrade(int parallelism) throws Exception {
    org.apache.flink.api.common.JobID before = pipeline.job().getJobID();
    String savepoint = pipeline.upgradeJobThroughSavepoint(Duration.ofMinutes(3), parallelism);
    pipeline.awaitReady(Duration.ofMinutes(2));
    org.apache.flink.api.common.JobID after = pipeline.job().getJobID();
    assertThat(after).isNotEqualTo(before);
    JsonNode restored = restoredFrom(after);
    assertThat(restored.path("is_savepoint").asBoolean()).isTrue();
    assertThat(restored.path("external_path").asText())
        .endsWith(savepoint.substring(savepoint.lastIndexOf('/')));
    assertThat(jobParallelism(after)).isEqualTo(parallelism);
  }

  private static void awaitLinked(String personalId) throws Exception {
    assertThat(
            awaitSourceRow(
                "civil-registry",
                personalId,
                r -> personalId.equals(r.get("resolved_personal_id"))))
        .as("the waiting record, kept through the upgrade, links when its citizen arrives")
        .extractingByKey("match_method")
        .isNotNull();
  }

  /** The parallelism Flink's REST API reports for the job's keyed merge step. */
  private static int jobParallelism(org.apache.flink.api.common.JobID id) throws Exception {
    for (JsonNode vertex : restJson("/jobs/" + id).path("vertices")) {
      if (vertex.path("name").asText().contains("merge-person-sources")) {
        return vertex.path("parallelism").asInt();
      }
    }
    throw new AssertionError("no merge-person-sources vertex in job " + id);
  }

  /** What Flink's REST API says job {@code id} restored from. */
  private static JsonNode restoredFrom(org.apache.flink.api.common.JobID id) throws Exception {
    return restJson("/jobs/" + id + "/checkpoints").path("latest").path("restored");
  }

  private static JsonNode restJson(String path) throws Exception {
    return HttpJson.get(pipeline.endpoints().get("flink-ui") + path);
  }

  private static void insert(
      Connection c, String id, String name, String dob, String sex, String phone, String address)
      throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh, dan_toc,"
                + " quoc_tich, so_dien_thoai, dia_chi_thuong_tru) VALUES (?,?,?,?,'Kinh','Việt Nam',?,?)")) {
      st.setString(1, id);
      st.setString(2, name);
      st.setString(3, dob);
      st.setString(4, sex);
      st.setString(5, phone);
      st.setString(6, address);
      st.executeUpdate();
    }
  }

  interface RowsCondition {
    boolean test(Map<String, Map<String, Object>> rows);
  }

  private static Map<String, Map<String, Object>> awaitRows(Set<String> keys, RowsCondition done)
      throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    Map<String, Map<String, Object>> rows = Map.of();
    while (System.currentTimeMillis() < deadline) {
      rows = storeRows(keys);
      if (rows.keySet().containsAll(keys) && done.test(rows)) {
        return rows;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("NDC store did not reach the expected state; last seen: " + rows);
  }

  private static Map<String, Map<String, Object>> storeRows(Set<String> keys) throws Exception {
    Map<String, Map<String, Object>> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE);
        PreparedStatement st =
            ndc.prepareStatement(
                "SELECT * FROM " + NdcTables.PERSON + " WHERE person_key = ANY (?)")) {
      st.setArray(1, ndc.createArrayOf("text", keys.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString("person_key"), row(rs));
        }
      }
    }
    return out;
  }

  /**
   * Both tables of the store. A replay runs with fresh enrich state, so it may first see an agency
   * record before its citizen and pass through review on the way: when the store applied a version
   * (synced_at) and, for merged persons, which change last triggered the merge (lineage, merge
   * version) may differ; what the NDC holds may not.
   */
  private static List<Map<String, Object>> wholeStore() throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE);
        Statement st = ndc.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT * FROM " + NdcTables.PERSON_SOURCE + " ORDER BY source_agency, person_key")) {
        while (rs.next()) {
          Map<String, Object> row = row(rs);
          row.remove("synced_at");
          out.add(row);
        }
      }
      try (ResultSet rs =
          st.executeQuery("SELECT * FROM " + NdcTables.PERSON + " ORDER BY person_key")) {
        while (rs.next()) {
          Map<String, Object> row = row(rs);
          row.keySet()
              .removeIf(
                  c ->
                      c.startsWith("source_")
                          || c.equals("synced_at")
                          || c.equals("ingest_time")
                          || c.equals("schema_version"));
          row.put("sources", String.valueOf(row.get("sources")));
          out.add(row);
        }
      }
    }
    return out;
  }

  private static Map<String, Object> awaitSourceRow(
      String agency, String personKey, java.util.function.Predicate<Map<String, Object>> done)
      throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    Map<String, Object> row = null;
    while (System.currentTimeMillis() < deadline) {
      row = sourceRowOrNull(agency, personKey);
      if (row != null && done.test(row)) {
        return row;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "ndc.person_source row "
            + agency
            + "/"
            + personKey
            + " not as expected; last seen: "
            + row);
  }

  private static Map<String, Object> sourceRowOrNull(String agency, String personKey)
      throws Exception {
    try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE);
        PreparedStatement st =
            ndc.prepareStatement(
                "SELECT * FROM "
                    + NdcTables.PERSON_SOURCE
                    + " WHERE source_agency = ? AND person_key = ?")) {
      st.setString(1, agency);
      st.setString(2, personKey);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? row(rs) : null;
      }
    }
  }

  /**
   * Adds citizens (personal ID, name, date of birth) to the population database, and waits until
   * the job has taken them in, so the agency rows that follow link at once.
   */
  private static void citizens(String[]... citizens) throws Exception {
    String topic = "raw.population.cong_dan";
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", pipeline.kafka().bootstrapServers()))) {
      var status = new vn.ndc.sync.local.SyncStatus(admin);
      long before = status.endOffsets(List.of(topic));
      try (Connection pop = pipeline.postgres().connect(LocalPipeline.POPULATION_DATABASE);
          PreparedStatement st =
              pop.prepareStatement(
                  "INSERT INTO public.cong_dan (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh,"
                      + " noi_dang_ky_khai_sinh) VALUES (?,?,?::date,?,?)")) {
        for (String[] c : citizens) {
          st.setString(1, c[0]);
          st.setString(2, c[1]);
          st.setString(3, c[2]);
          st.setString(4, c[0].charAt(3) == '0' ? "Nam" : "Nữ");
          st.setString(5, c[0].substring(0, 3));
          st.executeUpdate();
        }
      }
      long deadline = System.currentTimeMillis() + 60_000;
      while (status.endOffsets(List.of(topic)) < before + citizens.length) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("the population changes were not captured");
        }
        Thread.sleep(100);
      }
    }
    awaitCaughtUp();
  }

  /**
   * What the operators' dashboard ({@code deploy/dashboards/ndc-sync.json}) charts is what the job
   * serves to Prometheus: every metric its queries name, with every label they group or filter by,
   * once records have been mapped, linked, sent to review and dead-lettered.
   */
  @Test
  void theDashboardsQueriesFindTheJobsMetricsInPrometheusFormat() throws Exception {
    String linked = personalId();
    citizens(new String[] {linked, "Phạm Văn Minh", "1990-05-05"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      insert(src, linked, "Phạm Văn Minh", "05/05/1990", "Nam", null, null);
      // Not a citizen: waits in review. Not a personal ID: a dead letter.
      insert(src, personalId(), "Đỗ Văn Khoa", "06/06/1990", "Nam", null, null);
      insert(
          src,
          String.valueOf(RANDOM.nextInt(100_000)),
          "Vũ Thị Sai",
          "1990-01-02",
          "Nữ",
          null,
          null);
    }
    awaitCaughtUp();

    List<String> queries = DashboardQueries.all();
    assertThat(queries).hasSizeGreaterThan(10);
    String metricsUrl = pipeline.endpoints().get("metrics");
    assertThat(metricsUrl).as("the shared pipeline serves its metrics").isNotNull();
    Map<String, Set<String>> expected = DashboardQueries.metricsAndLabels(queries, "flink_");

    Map<String, Set<String>> missing = expected;
    String scrape = "";
    long deadline = System.currentTimeMillis() + 60_000;
    while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
      scrape = DashboardQueries.scrape(metricsUrl);
      missing = DashboardQueries.missingFrom(scrape, expected);
      if (!missing.isEmpty()) {
        Thread.sleep(1000);
      }
    }
    assertThat(missing)
        .as("metrics, or their labels, the dashboard queries but the job lacks")
        .isEmpty();
    assertThat(scrape)
        .containsPattern(
            "flink_taskmanager_job_task_operator_ndc_agency_mapped\\{[^}]*agency=\"civil_registry\"")
        .containsPattern(
            "flink_taskmanager_job_task_operator_commitToStoreLatencyMs\\{[^}]*operator_name=\"ndc_store_person_source[^}]*quantile=\"0\\.99\"[^}]*\\} [0-9.]+");
  }

  /**
   * The dashboard's capture row charts what Kafka Connect's workers serve. The shared pipeline
   * serves its captures' metrics as {@code local --capture-metrics-port} does, through the JMX
   * exporter rules that Strimzi runs in the workers ({@code k8s/connect/metrics-config.yml}); on
   * the MBeans of its Debezium captures, the same connector classes that run in the workers, they
   * yield every Debezium metric and label the dashboard queries, for each agency.
   */
  @Test
  void theDashboardsCaptureQueriesFindDebeziumsMetricsThroughTheConnectExportersRules()
      throws Exception {
    String url = pipeline.endpoints().get("capture-metrics");
    assertThat(url).as("the shared pipeline serves its captures' metrics").isNotNull();
    String before = DashboardQueries.scrape(url);
    String captured = personalId();
    citizens(new String[] {captured, "Lê Văn Bắt", "1990-07-07"});
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      insert(src, captured, "Lê Văn Bắt", "07/07/1990", "Nam", null, null);
    }
    // Once the citizen's record is in the store, the capture has read the insert. (The job's
    // offsets alone can be caught up before the change reaches the raw topic.)
    awaitRows(Set.of(captured), rows -> true);
    String scrape = DashboardQueries.scrape(url);
    String seen =
        "debezium_events_seen_total\\{context=\"streaming\",plugin=\"postgres\",server=\"civil-registry\"\\} ([0-9.]+)";

    Map<String, Set<String>> expected =
        DashboardQueries.metricsAndLabels(DashboardQueries.all(), "debezium_");
    assertThat(expected).as("the dashboard has a capture row").hasSizeGreaterThan(4);
    assertThat(DashboardQueries.missingFrom(scrape, expected))
        .as("Debezium metrics, or their labels, the dashboard queries but the exporter lacks")
        .isEmpty();
    for (String agency : List.of("civil-registry", "health-insurance", "land-registry")) {
      assertThat(scrape)
          .as(agency)
          .containsPattern(
              "debezium_connected\\{context=\"streaming\",plugin=\"(postgres|mariadb)\",server=\""
                  + agency
                  + "\"\\} 1\\.0");
    }
    assertThat(DashboardQueries.sample(scrape, seen))
        .as("the insert is counted")
        .isGreaterThan(DashboardQueries.sample(before, seen));
    assertThat(
            DashboardQueries.sample(
                scrape,
                "debezium_milliseconds_behind_source\\{context=\"streaming\",plugin=\"postgres\",server=\"civil-registry\"\\} ([-0-9.E]+)"))
        .as("set by the change just read")
        .isGreaterThanOrEqualTo(0);
    assertThat(scrape).as("no personal data in the metrics").doesNotContain(captured);
  }

  private static Map<String, Object> row(ResultSet rs) throws Exception {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      Object v = rs.getObject(i);
      row.put(md.getColumnName(i), v instanceof String s ? s.strip() : v);
    }
    return row;
  }

  private static void awaitCaughtUp() throws Exception {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", pipeline.kafka().bootstrapServers()))) {
      var status = new vn.ndc.sync.local.SyncStatus(admin);
      long deadline = System.currentTimeMillis() + 120_000;
      while (!status.caughtUp(
          pipeline.jobOptions().get(PersonSyncOptions.CONSUMER_GROUP), pipeline.rawTopics())) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("job did not commit its offsets in time");
        }
        Thread.sleep(200);
      }
    }
  }

  private static Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", pipeline.kafka().bootstrapServers());
    config.put("group.id", "it-" + System.nanoTime());
    config.put("auto.offset.reset", "earliest");
    config.put("enable.auto.commit", false);
    // The job writes ndc.person in transactions: read only what its checkpoints committed.
    config.put("isolation.level", "read_committed");
    return config;
  }

  /**
   * The versions on ndc.person of each key, read until every key has at least the expected number
   * (or 30 s have passed) and the reader has caught up with what is committed.
   */
  private static Map<String, List<GenericRecord>> readPersonTopic(Map<String, Integer> expected) {
    return readTopic("ndc.person", expected);
  }

  /** The versions of each expected key on {@code topic}, at least as many as expected. */
  private static Map<String, List<GenericRecord>> readTopic(
      String topic, Map<String, Integer> expected) {
    Map<String, Object> config = consumerConfig();
    Map<String, List<GenericRecord>> out = new HashMap<>();
    // The project's decoder: its registry client gives up on a lost response, where the Apicurio
    // 3.1 deserializer's waits without a timeout (it once hung a whole test run).
    try (ConfluentAvroDecoder decoder =
            new ConfluentAvroDecoder(
                RegistrySerde.confluentWireFormat(pipeline.registry().apiV3Url()));
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (expected.containsKey(r.key())) {
            out.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(decoder.decode(topic, r.value()));
          }
        }
        boolean all =
            expected.entrySet().stream()
                .allMatch(e -> out.getOrDefault(e.getKey(), List.of()).size() >= e.getValue());
        if (all
            && consumer.assignment().stream()
                .allMatch(
                    tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
          break;
        }
      }
    }
    return out;
  }

  private static byte[] awaitRawValue(String key) {
    Map<String, Object> config = consumerConfig();
    long deadline = System.currentTimeMillis() + 60_000;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("ndc.person"));
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (key.equals(r.key()) && r.value() != null) {
            return r.value();
          }
        }
      }
    }
    throw new AssertionError("no ndc.person record for " + key);
  }
}
