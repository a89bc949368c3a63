package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.deliver.RegistrySerde;
import vn.ndc.sync.job.DeadLetters;
import vn.ndc.sync.testing.StatusServer;

/**
 * Undecodable records are dead-lettered, but a registry that refuses the job fails the task: its
 * records are not bad, and dead-lettering them would empty the pipeline into the dead-letter topic.
 * The registry here answers one status to every schema lookup; what a real registry answers for an
 * unknown schema id, and that the job then goes on, {@code PipelineFaultsIT} shows.
 */
class DecodeRawRecordTest {

  private static final String TOPIC = "raw.civil-registry.nhan_khau";
  private StatusServer registry;

  /** A registry whose every schema lookup by id answers {@code status}. */
  private String registryAnswering(int status) throws IOException {
    registry =
        new StatusServer(
            "/apis/ccompat/v7/schemas/ids/",
            n -> status,
            st -> "{\"error_code\":" + st + "0,\"message\":\"answered " + st + "\"}");
    return registry.url();
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static OneInputStreamOperatorTestHarness<RawRecord, SourceChange> harness(String url)
      throws Exception {
    return ProcessFunctionTestHarnesses.forProcessFunction(
        new DecodeRawRecord(RegistrySerde.confluentWireFormat(url)));
  }

  private static RawRecord raw(String topic, byte[] value) {
    return RawRecord.newBuilder()
        .setTopic(topic)
        .setPartition(0)
        .setOffset(7)
        .setTimestamp(0)
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .build();
  }

  /** Magic byte 0 and schema id {@code id}, then a body. */
  private static byte[] wireFormat(int id) {
    return ByteBuffer.allocate(9).put((byte) 0).putInt(id).putInt(42).array();
  }

  private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<?, ?> h) {
    var letters = h.getSideOutput(DeadLetters.TAG);
    return letters == null
        ? List.of()
        : letters.stream().map(r -> ((StreamRecord<DeadLetter>) r).getValue()).toList();
  }

  @Test
  void aSchemaIdTheRegistryDoesNotHaveIsDeadLettered() throws Exception {
    try (var h = harness(registryAnswering(404))) {
      h.open();
      h.processElement(raw(TOPIC, wireFormat(2_000_000_001)), 0);

      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(deadLetters(h))
          .singleElement()
          .satisfies(
              letter -> {
                assertThat(letter.getRule()).isEqualTo("decode.avro");
                assertThat(letter.getAgency()).isEqualTo("civil-registry");
                assertThat(letter.getMessage()).contains("2000000001", "not in the registry");
              });
    }
  }

  @Test
  void aRegistryThatRefusesTheJobFailsTheTaskAndDeadLettersNothing() throws Exception {
    try (var h = harness(registryAnswering(403))) {
      h.open();
      assertThatThrownBy(() -> h.processElement(raw(TOPIC, wireFormat(5)), 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(TOPIC)
          .hasMessageContaining("HTTP 403");

      assertThat(deadLetters(h)).isEmpty();
      assertThat(registry.calls()).isEqualTo(1);
    }
  }

  @Test
  void bytesNotInTheWireFormatAndTopicsOfNoAgencyAreDeadLetteredWithoutAskingTheRegistry()
      throws Exception {
    try (var h = harness(registryAnswering(500))) {
      h.open();
      h.processElement(raw(TOPIC, "\u0001not avro".getBytes(StandardCharsets.UTF_8)), 0);
      h.processElement(raw("orders", wireFormat(5)), 0);
      h.processElement(raw(TOPIC, null), 0);

      assertThat(deadLetters(h))
          .extracting(DeadLetter::getRule)
          .containsExactly("decode.avro", "decode.topic");
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(registry.calls()).isZero();
    }
  }
}
