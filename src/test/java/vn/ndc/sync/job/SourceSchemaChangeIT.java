package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.cli.NdcSync;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.LocalSettings;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.testing.StoreRows;
import vn.ndc.sync.testing.TestConnectors;

/**
 * An agency changes its table while the pipeline runs: a new column the mapping declared ahead is
 * carried, an unmapped one ignored, a retyped column either still reads or dead-letters its rows
 * with the reason, a dropped required column dead-letters its rows — and capture and the job keep
 * running throughout, even where the raw schema change is one the registry's global rule refuses.
 */
class SourceSchemaChangeIT {

  private static final Random RANDOM = new Random();
  private static SharedTestStack stack;
  private static final List<LocalPipeline> pipelines = new ArrayList<>();

  /** One copy of a demo agency, under a unique name, with its own pipeline on the shared stack. */
  private record Source(
      LocalPipeline pipeline, String agency, String database, String dlq, Path job, Path mapping) {

    Connection connect() throws Exception {
      return pipeline.connectSource(pipeline.agencies().get(0));
    }

    void execute(String sql) throws Exception {
      try (Connection c = connect();
          Statement st = c.createStatement()) {
        st.execute(sql);
      }
    }

    void insert(String sql, String personalId) throws Exception {
      try (Connection c = connect();
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, personalId);
        ps.executeUpdate();
      }
    }
  }

  @BeforeAll
  static void stack() {
    stack = SharedTestStack.get();
  }

  @AfterAll
  static void stop() {
    pipelines.forEach(LocalPipeline::close);
  }

  /**
   * Starts a pipeline on a copy of {@code demoAgency} renamed to a unique agency and database;
   * {@code edit} rewrites its connector.properties, {@code field} is added to its mapping.
   */
  private static Source start(
      String demoAgency,
      java.util.function.BiFunction<String, String, String> editConnector,
      java.util.function.BiFunction<String, String, String> editMapping)
      throws IOException {
    String name = stack.uniqueName("schema_change");
    String agency = name.replace('_', '-');
    Path dir = stack.newDir("schema-change");
    Path folder =
        TestConnectors.renamed(
            dir, demoAgency, agency, connector -> editConnector.apply(connector, name));
    Path connectors = folder.getParent();
    TestConnectors.edit(
        folder.resolve("mapping.yaml"), mapping -> editMapping.apply(mapping, name));
    String dlq = "dlq." + name;
    Path job = TestConnectors.isolatedJob(dir, name);
    LocalPipeline pipeline =
        LocalPipeline.startOn(
            new LocalSettings(dir.resolve("work"), connectors, job, 0, 0, 0, 0),
            System.out,
            stack.postgres(),
            stack.kafka(),
            stack.registry());
    pipelines.add(pipeline);
    pipeline.awaitReady(Duration.ofMinutes(3));
    return new Source(pipeline, agency, name, dlq, job, folder.resolve("mapping.yaml"));
  }

  /** A copy of civil-registry's connector under {@code name}. */
  private static String civilRegistryAs(String connector, String name) {
    return connector
        .replace("name=civil-registry", "name=" + name)
        .replace("database.dbname=civil_registry", "database.dbname=" + name)
        .replace("topic.prefix=civil-registry", "topic.prefix=" + name)
        // Slots are per server, publications per database (source-setup.sql's).
        .replace("slot.name=ndc_civil_registry", "slot.name=" + name);
  }

  @Test
  void postgresColumnsAddedRetypedAndDroppedWhileRunning() throws Exception {
    // The agency announced a temporary-residence column: the mapping declares it ahead.
    Source src =
        start(
            "civil-registry",
            SourceSchemaChangeIT::civilRegistryAs,
            (mapping, name) ->
                mapping.replace(
                    "rules:",
                    "  currentAddress: {column: dia_chi_tam_tru, transform: address, ifAbsent:"
                        + " empty}\nrules:"));
    DeadLetters deadLetters = new DeadLetters(src.dlq());

    // Before any change: the declared-ahead column is absent, the field stays empty.
    String before = personalId();
    src.insert(
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh)"
            + " VALUES (?, 'Phạm Văn Trước', '05/04/1990', 'Nam')",
        before);
    Map<String, Object> first = awaitPerson(src, before, r -> true);
    assertThat(first).containsEntry("current_address_text", null);

    // A nullable column the mapping declared is carried; one it does not name is ignored.
    src.execute(
        "ALTER TABLE public.nhan_khau ADD COLUMN dia_chi_tam_tru text, ADD COLUMN ghi_chu text");
    String added = personalId();
    src.insert(
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh,"
            + " dia_chi_tam_tru, ghi_chu) VALUES (?, 'Phạm Văn Thêm', '06/04/1990', 'Nam',"
            + " 'Số 5, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội', 'chuyển đến tạm trú')",
        added);
    Map<String, Object> carried = awaitPerson(src, added, r -> true);
    assertThat(carried)
        .containsEntry("current_province_code", "01")
        .containsEntry("current_address_text", "Số 5, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội");

    // Text dates retyped to date: the raw schema changes string -> int, which BACKWARD_TRANSITIVE
    // refuses; the raw subject accepts it and the rows still map (dates arrive as yyyy-MM-dd).
    src.execute(
        "ALTER TABLE public.nhan_khau ALTER COLUMN ngay_sinh TYPE date"
            + " USING to_date(ngay_sinh, 'DD/MM/YYYY')");
    String retyped = personalId();
    src.insert(
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh)"
            + " VALUES (?, 'Phạm Văn Ngày', DATE '1990-04-07', 'Nam')",
        retyped);
    assertThat(awaitPerson(src, retyped, r -> true))
        .containsEntry("date_of_birth", java.sql.Date.valueOf(LocalDate.of(1990, 4, 7)));

    // Sex retyped to boolean: the code list no longer reads it; the rows are dead-lettered.
    src.execute(
        "ALTER TABLE public.nhan_khau ALTER COLUMN gioi_tinh TYPE boolean"
            + " USING gioi_tinh = 'Nam'");
    String unreadable = personalId();
    src.insert(
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh)"
            + " VALUES (?, 'Phạm Văn Giới', DATE '1990-04-08', true)",
        unreadable);
    GenericRecord sexRejected = deadLetters.await(unreadable);
    assertThat(sexRejected.get("rule").toString()).isEqualTo("person.sex.code");
    assertThat(sexRejected.get("message").toString())
        .startsWith("sex (column gioi_tinh): ")
        .contains("'true'");
    assertThat(sexRejected.get("sourcePosition").toString()).startsWith("lsn=");

    // A dropped column a required field needs: dead-lettered with the column named.
    src.execute("ALTER TABLE public.nhan_khau DROP COLUMN ngay_sinh");
    String dropped = personalId();
    src.insert(
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, gioi_tinh) VALUES (?, 'Phạm Văn Bỏ',"
            + " true)",
        dropped);
    GenericRecord columnMissing = deadLetters.await(dropped);
    assertThat(columnMissing.get("rule").toString()).isEqualTo("person.source.column-missing");
    assertThat(columnMissing.get("message").toString())
        .contains("no column 'ngay_sinh'")
        .contains("dateOfBirth");

    // The agency repairs its table: the same row, updated, now reaches the store; capture and the
    // job ran through every change above.
    src.execute(
        "ALTER TABLE public.nhan_khau ADD COLUMN ngay_sinh date, ALTER COLUMN gioi_tinh TYPE"
            + " varchar(3) USING CASE WHEN gioi_tinh THEN 'Nam' ELSE 'Nữ' END");
    src.execute(
        "UPDATE public.nhan_khau SET ngay_sinh = DATE '1990-04-09' WHERE so_dinh_danh = '"
            + dropped
            + "'");
    assertThat(awaitPerson(src, dropped, r -> true))
        .containsEntry("date_of_birth", java.sql.Date.valueOf(LocalDate.of(1990, 4, 9)))
        .containsEntry("sex", "MALE")
        .containsEntry("source_operation", "u");
    deadLetters.close();
  }

  @Test
  void mariaDbColumnsAddedRetypedAndDroppedWhileRunning() throws Exception {
    // The insurer announced an ethnicity column: the mapping declares it ahead.
    Source src =
        start(
            "health-insurance",
            (connector, name) ->
                connector
                    .replace("name=health-insurance", "name=" + name)
                    .replace("database.server.id=5401", "database.server.id=" + serverId())
                    .replace("topic.prefix=health-insurance", "topic.prefix=" + name)
                    .replace(
                        "database.include.list=health_insurance", "database.include.list=" + name)
                    .replace(
                        "table.include.list=health_insurance.the_bhyt",
                        "table.include.list=" + name + ".the_bhyt"),
            (mapping, name) ->
                mapping
                    .replace("table: health_insurance.the_bhyt", "table: " + name + ".the_bhyt")
                    .replace(
                        "rules:",
                        "  ethnicity: {column: dan_toc, transform: text, ifAbsent: empty}\nrules:"));
    DeadLetters deadLetters = new DeadLetters(src.dlq());
    String insert =
        "INSERT INTO the_bhyt (ma_the, ho_ten, ngay_sinh, gioi_tinh, so_giay_to) VALUES"
            + " ('DN4010123456789', 'NGUYEN VAN A', '1990-05-01', %s, ?)";

    String before = personalId();
    src.insert(insert.formatted("1"), before);
    assertThat(awaitPerson(src, before, r -> true)).containsEntry("ethnicity", null);

    // Columns added: the declared one is carried, the other ignored.
    src.execute("ALTER TABLE the_bhyt ADD COLUMN dan_toc VARCHAR(40), ADD COLUMN ghi_chu TEXT");
    String added = personalId();
    src.insert(
        "INSERT INTO the_bhyt (ma_the, ho_ten, ngay_sinh, gioi_tinh, so_giay_to, dan_toc, ghi_chu)"
            + " VALUES ('DN4010123456788', 'NGUYEN VAN B', '1990-05-02', 1, ?, 'Kinh', 'mới')",
        added);
    assertThat(awaitPerson(src, added, r -> true)).containsEntry("ethnicity", "Kinh");

    // Sex retyped from TINYINT to text: 1/0 still read; the new convention 'Nam' does not.
    src.execute("ALTER TABLE the_bhyt MODIFY COLUMN gioi_tinh VARCHAR(3)");
    // A woman's personal ID (century/sex digit 1), so that sex 0 agrees with it.
    String stillReads = "001190" + personalId().substring(6);
    src.insert(insert.formatted("'0'"), stillReads);
    assertThat(awaitPerson(src, stillReads, r -> true)).containsEntry("sex", "FEMALE");
    String unreadable = personalId();
    src.insert(insert.formatted("'Nam'"), unreadable);
    GenericRecord sexRejected = deadLetters.await(unreadable);
    assertThat(sexRejected.get("rule").toString()).isEqualTo("person.sex.code");
    assertThat(sexRejected.get("message").toString()).startsWith("sex (column gioi_tinh): ");

    // A dropped column a required field needs: dead-lettered with the column named.
    src.execute("ALTER TABLE the_bhyt DROP COLUMN ngay_sinh");
    String dropped = personalId();
    src.insert(
        "INSERT INTO the_bhyt (ma_the, ho_ten, gioi_tinh, so_giay_to) VALUES ('DN4010123456787',"
            + " 'NGUYEN VAN C', '1', ?)",
        dropped);
    GenericRecord columnMissing = deadLetters.await(dropped);
    assertThat(columnMissing.get("rule").toString()).isEqualTo("person.source.column-missing");
    assertThat(columnMissing.get("message").toString()).contains("no column 'ngay_sinh'");
    deadLetters.close();
  }

  /**
   * A row dead-lettered because its agency changed an encoding reaches the store once the mapping
   * learns the new encoding, the job is upgraded to it and `ndc-sync replay-dead-letters` sends the
   * row's change again: it does not wait for its next change at the source, which may never come.
   */
  @Test
  void aDeadLetteredRowReachesTheStoreWhenReplayedAfterItsMappingIsFixed() throws Exception {
    Source src = start("civil-registry", SourceSchemaChangeIT::civilRegistryAs, (m, name) -> m);
    DeadLetters deadLetters = new DeadLetters(src.dlq());
    src.execute(
        "ALTER TABLE public.nhan_khau ALTER COLUMN gioi_tinh TYPE boolean"
            + " USING gioi_tinh = 'Nam'");
    String man = personalId();
    src.insert(
        "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh)"
            + " VALUES (?, 'Phạm Văn Phát', '01/02/1990', true)",
        man);
    assertThat(deadLetters.await(man).get("rule").toString()).isEqualTo("person.sex.code");

    // The operator's command, with the job's own options file (as deployed, endpoints filled in).
    Path options = src.job().resolveSibling("replay-options.yaml");
    Files.writeString(
        options,
        Files.readString(src.job())
            + "kafka.bootstrap-servers: "
            + stack.bootstrapServers()
            + "\nregistry.url: "
            + stack.registryUrl()
            + "\nstore.jdbc-url: jdbc:postgresql://127.0.0.1:5432/not-used-by-replay\n");
    String[] replay = {
      "replay-dead-letters",
      "--config",
      options.toString(),
      "--agency",
      src.agency(),
      "--rule",
      "person.sex.code"
    };

    // Replayed too early, before the fix: the copy fails again, with a dead letter of its own.
    assertThat(NdcSync.commandLine().setOut(new PrintWriter(new StringWriter())).execute(replay))
        .isZero();
    List<GenericRecord> twice = deadLetters.await(man, 2);
    assertThat(twice.get(1).get("rawOffset")).isNotEqualTo(twice.get(0).get("rawOffset"));
    deadLetters.close();

    // The mapping learns the new encoding, and the job is upgraded to it through a savepoint, as
    // a changed ConfigMap upgrades it in Kubernetes.
    TestConnectors.edit(
        src.mapping(),
        m -> m.replace("\"0\": FEMALE}", "\"0\": FEMALE, \"true\": MALE, \"false\": FEMALE}"));
    assertThat(Files.readString(src.mapping())).contains("\"true\": MALE");
    src.pipeline().upgradeJobThroughSavepoint(Duration.ofMinutes(3), 1);
    src.pipeline().awaitReady(Duration.ofMinutes(2));

    StringWriter out = new StringWriter();
    int code = NdcSync.commandLine().setOut(new PrintWriter(out)).execute(replay);
    System.out.print(out);

    // Two dead letters, one change: its newest copy alone is sent.
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("; 1 raw records selected")
        .contains("sent 1 raw records again, 0 gone")
        .contains(src.agency() + " person.sex.code: 1");
    assertThat(awaitPerson(src, man, r -> true))
        .containsEntry("sex", "MALE")
        .containsEntry("full_name", "Phạm Văn Phát");
  }

  /** A binlog client id no other connector of the test JVM uses. */
  private static int serverId() {
    return 6000 + RANDOM.nextInt(3000);
  }

  /** A fresh personal ID for a man born in Hà Nội in 1990. */
  private static String personalId() {
    return "001090" + String.format("%06d", RANDOM.nextInt(1_000_000));
  }

  /** The NDC row of the person once {@code ready} holds for it. */
  private static Map<String, Object> awaitPerson(
      Source src, String personalId, Predicate<Map<String, Object>> ready) throws Exception {
    return StoreRows.awaitSourceRow(stack.postgres(), src.agency(), personalId, ready);
  }

  /** Reads the job's dead-letter topic from its start, decoded through the registry. */
  private static final class DeadLetters implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConfluentAvroDecoder decoder =
        new ConfluentAvroDecoder(RegistrySerde.confluentWireFormat(stack.registryUrl()));
    private final List<GenericRecord> seen = new ArrayList<>();

    DeadLetters(String topic) {
      this.topic = topic;
      Map<String, Object> config = new HashMap<>();
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer = new KafkaConsumer<>(config);
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(consumer.assignment());
    }

    /** The dead letter of the row holding {@code personalId}. */
    GenericRecord await(String personalId) {
      return await(personalId, 1).get(0);
    }

    /** The first {@code count} dead letters of the row holding {@code personalId}. */
    List<GenericRecord> await(String personalId, int count) {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (Instant.now().isBefore(deadline)) {
        List<GenericRecord> found = new ArrayList<>();
        for (GenericRecord letter : seen) {
          Object row = letter.get("rawRow");
          if (row instanceof Map<?, ?> columns && hasValue(columns, personalId)) {
            found.add(letter);
          }
        }
        if (found.size() >= count) {
          return found.subList(0, count);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(decoder.decode(topic, record.value()));
        }
      }
      throw new AssertionError(count + " dead letters for " + personalId + " not in " + topic);
    }

    private static boolean hasValue(Map<?, ?> columns, String value) {
      return columns.values().stream().anyMatch(v -> v != null && v.toString().equals(value));
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
