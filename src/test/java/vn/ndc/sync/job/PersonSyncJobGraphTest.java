package vn.ndc.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.JobConfig;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.config.PersonSyncOptions.StateBackendKind;
import vn.ndc.sync.config.TestJobOptions;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.local.LocalStateDir;
import vn.ndc.sync.standardize.EntityMapping;

/** The job's graph: Avro types only (no Kryo fallback), and a stable uid on every operator. */
class PersonSyncJobGraphTest {

  private static StreamGraph graph(StreamExecutionEnvironment env) {
    List<EntityMapping> mappings =
        Mappings.loadAll(Path.of(System.getProperty("ndc.project.dir", ".")).resolve("connectors"));
    RawRecord raw =
        RawRecord.newBuilder()
            .setTopic("raw.civil-registry.nhan_khau")
            .setPartition(0)
            .setOffset(0)
            .setTimestamp(0)
            .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
            .build();
    PersonSyncJob.defineWorkflow(
        env.fromData(List.of(raw), new AvroTypeInfo<>(RawRecord.class)).uid("test-source"),
        RegistrySerde.confluentWireFormat("http://127.0.0.1:1"),
        mappings,
        PersonSyncJob.enrichSettings(
            JobConfig.load(
                Path.of(System.getProperty("ndc.project.dir", "."))
                    .resolve("jobs/person-sync.yaml"),
                Map.of(
                    "kafka.bootstrap-servers", "-",
                    "registry.url", "-",
                    "store.jdbc-url", "-"),
                PersonSyncOptions.class)),
        new PersonSyncJob.Sinks(
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>()));
    return env.getStreamGraph();
  }

  @Test
  void theJobNeedsNoGenericTypes() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration());
    assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
    StreamGraph graph = graph(env);
    for (StreamNode node : graph.getStreamNodes()) {
      assertThat(node.getTypeSerializersIn())
          .allSatisfy(s -> assertThat(s.getClass().getSimpleName()).doesNotContain("Kryo"));
      if (node.getTypeSerializerOut() != null) {
        assertThat(node.getTypeSerializerOut().getClass().getSimpleName()).doesNotContain("Kryo");
      }
    }
  }

  @Test
  void genericTypesAreReallyRefused() {
    // Guards the test above: with the setting on, a POJO-less generic type must fail.
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    assertThatThrownBy(
            () -> {
              env.fromData(new ArrayList<Object>(List.of(new Object())))
                  .sinkTo(new DiscardingSink<>());
              env.getStreamGraph();
            })
        .hasMessageContaining("Generic types have been disabled");
  }

  @Test
  void rocksDbCompactsUniversallyKeepsPartitionedBloomFiltersAndDoesNotCompress() {
    Configuration rocksDb = FlinkEnvironments.stateBackend(StateBackendKind.ROCKSDB);
    assertThat(rocksDb.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(rocksDb.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(rocksDb.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    assertThat(rocksDb.get(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS)).isTrue();
    assertThat(rocksDb.get(RocksDBConfigurableOptions.COMPACTION_STYLE))
        .isEqualTo(CompactionStyle.UNIVERSAL);
    assertThat(rocksDb.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
        .containsExactly(CompressionType.NO_COMPRESSION);
    assertThat(rocksDb.get(RocksDBOptions.OPTIONS_FACTORY))
        .isEqualTo(MemtableBloomOptions.class.getName());

    // A local cluster gives RocksDB about what a TaskManager of the k8s deployment has, not
    // Flink's local default of 128 MiB.
    assertThat(
            FlinkEnvironments.clusterConfiguration(0, 2, StateBackendKind.ROCKSDB)
                .get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(MemorySize.ofMebiBytes(1024));

    Configuration heap = FlinkEnvironments.stateBackend(StateBackendKind.HASHMAP);
    assertThat(heap.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    assertThat(heap.contains(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
  }

  @Test
  void localJobsKeepRocksDbFilesWhereLocalStateDirSaysAndHeapJobsSetNothing(
      @TempDir Path checkpoints) {
    Configuration rocksDb =
        FlinkEnvironments.jobConfiguration(
            checkpoints, Duration.ofSeconds(5), StateBackendKind.ROCKSDB, null);
    assertThat(rocksDb.getOptional(RocksDBOptions.LOCAL_DIRECTORIES))
        .isEqualTo(LocalStateDir.inMemory().map(Path::toString));
    Configuration heap =
        FlinkEnvironments.jobConfiguration(
            checkpoints, Duration.ofSeconds(5), StateBackendKind.HASHMAP, null);
    assertThat(heap.getOptional(RocksDBOptions.LOCAL_DIRECTORIES)).isEmpty();
  }

  @Test
  void everyOperatorHasAUid() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration());
    StreamGraph graph = graph(env);
    List<String> missing = new ArrayList<>();
    for (StreamNode node : graph.getStreamNodes()) {
      if (node.getTransformationUID() == null) {
        missing.add(node.getOperatorName());
      }
    }
    assertThat(missing).as("operators without uid").isEmpty();
  }

  @Test
  void theStatefulStagesAreWiredBetweenStandardizeAndTheSinks() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration());
    List<String> uids =
        graph(env).getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
    assertThat(uids)
        .contains(
            "standardize-person",
            "dedup-person",
            "dedup-population",
            "resolve-personal-id",
            "resolve-former-id",
            "resolve-demographic",
            "merge-person-sources",
            "ndc-store-person-source",
            "ndc-store-person",
            "ndc-topic-person",
            "review-topic-person");
  }

  @Test
  void theJobFixesItsMaxParallelismSoThatASavepointRescalesWithinIt() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration());
    PersonSyncJob.setParallelism(env, TestJobOptions.with(Map.of()));
    assertThat(env.getParallelism()).isEqualTo(2);
    assertThat(env.getMaxParallelism())
        .as("what Flink derived for parallelism 2 before the option existed")
        .isEqualTo(128);

    PersonSyncJob.setParallelism(
        env, TestJobOptions.with(Map.of("parallelism", "6", "max-parallelism", "720")));
    assertThat(env.getParallelism()).isEqualTo(6);
    assertThat(env.getMaxParallelism()).isEqualTo(720);
  }

  @Test
  void aParallelismOutsideOneToTheMaxParallelismIsRefusedBeforeTheJobIsBuilt() {
    assertThatThrownBy(
            () -> PersonSyncJob.checkParallelism(TestJobOptions.with(Map.of("parallelism", "200"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("parallelism must be between 1 and max-parallelism (128), got 200");
    assertThatThrownBy(
            () -> PersonSyncJob.checkParallelism(TestJobOptions.with(Map.of("parallelism", "0"))))
        .hasMessageContaining("got 0");
    assertThatThrownBy(
            () ->
                PersonSyncJob.checkParallelism(
                    TestJobOptions.with(Map.of("max-parallelism", "40000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("max-parallelism must be between 1 and 32768, got 40000");
  }

  /**
   * Every keyed step of the job, which holds state across an upgrade, has saved-state fixtures that
   * {@code SavedStateFixturesTest} restores (in the newest set): a new stateful step must come with
   * its own.
   */
  @Test
  void everyKeyedStepHasSavedStateFixtures() throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration());
    Set<String> keyedSteps = new TreeSet<>();
    for (StreamNode node : graph(env).getStreamNodes()) {
      if (node.getOperatorFactory() instanceof SimpleOperatorFactory<?> factory
          && (factory.getOperator() instanceof KeyedProcessOperator<?, ?, ?>
              || factory.getOperator() instanceof KeyedCoProcessOperator<?, ?, ?, ?>)) {
        keyedSteps.add(node.getTransformationUID());
      }
    }
    Path fixtures =
        Path.of(System.getProperty("ndc.project.dir", "."))
            .resolve("src/test/resources/state-fixtures");
    Path newest;
    try (Stream<Path> sets = Files.list(fixtures)) {
      newest = sets.max(Comparator.naturalOrder()).orElseThrow();
    }
    Set<String> saved = new TreeSet<>();
    try (Stream<Path> files = Files.list(newest)) {
      files.forEach(f -> saved.add(f.getFileName().toString().replace(".snapshot", "")));
    }

    assertThat(keyedSteps).hasSizeGreaterThanOrEqualTo(6).isEqualTo(saved);
  }

  @Test
  void theTopicSinksAndTheMergedStoreTakeTheirInputWithoutAShuffleAndTheSourceStoreByRow() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkEnvironments.baseConfiguration());
    env.setParallelism(2);
    StreamGraph graph = graph(env);
    assertThat(inputs(graph, "review-topic-person"))
        .containsOnly("FORWARD from resolve-demographic");
    assertThat(inputs(graph, "ndc-store-person")).containsOnly("FORWARD from merge-person-sources");
    assertThat(inputs(graph, "ndc-topic-person")).containsOnly("FORWARD from merge-person-sources");
    assertThat(inputs(graph, "ndc-topic-person-analyst"))
        .containsOnly("FORWARD from merge-person-sources");
    // A source row's versions can come from different resolvers: one writer per row keeps them
    // from racing each other in the store. Each resolver's output loses its retractions (for the
    // merge only) in a filter chained to it.
    assertThat(inputs(graph, "ndc-store-person-source"))
        .containsOnly(
            "HASH from source-records-personal-id",
            "HASH from source-records-former-id",
            "HASH from source-records-demographic");
    assertThat(inputs(graph, "source-records-personal-id"))
        .containsOnly("FORWARD from resolve-personal-id");
    assertThat(inputs(graph, "source-records-former-id"))
        .containsOnly("FORWARD from resolve-former-id");
    assertThat(inputs(graph, "source-records-demographic"))
        .containsOnly("FORWARD from resolve-demographic");
  }

  @Test
  void theAnalystsTopicIsWrittenUnlessItsOptionIsEmpty() {
    Map<String, Object> serde = RegistrySerde.confluentWireFormat("http://127.0.0.1:1");

    assertThat(PersonSyncJob.sinks(TestJobOptions.with(Map.of()), serde).analystTopic())
        .isNotNull();
    assertThat(
            PersonSyncJob.sinks(TestJobOptions.with(Map.of("topics.person-analyst", "")), serde)
                .analystTopic())
        .isNull();
  }

  private static List<String> inputs(StreamGraph graph, String uid) {
    StreamNode node =
        graph.getStreamNodes().stream()
            .filter(n -> uid.equals(n.getTransformationUID()))
            .findFirst()
            .orElseThrow();
    List<String> inputs = new ArrayList<>();
    for (StreamEdge edge : node.getInEdges()) {
      inputs.add(
          edge.getPartitioner()
              + " from "
              + graph.getStreamNode(edge.getSourceId()).getTransformationUID());
    }
    return inputs;
  }
}
