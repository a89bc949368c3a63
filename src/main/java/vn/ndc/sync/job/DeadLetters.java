package vn.ndc.sync.job;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.util.OutputTag;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.typeutils.CompiledAvroTypeInfo;

/** The dead-letter side output and the builders of its records. */
public final class DeadLetters {

  private DeadLetters() {}

  /** Side output every step writes its rejected records to. */
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", new CompiledAvroTypeInfo<>(DeadLetter.class));

  /** A raw record that could not be decoded: its bytes are kept whole. */
  public static DeadLetter undecodable(String job, String rule, String message, RawRecord raw) {
    return DeadLetter.newBuilder()
        .setJob(job)
        .setRule(rule)
        .setMessage(message)
        .setAgency(agencyOfTopic(raw.getTopic()))
        .setRawTopic(raw.getTopic())
        .setRawPartition(raw.getPartition())
        .setRawOffset(raw.getOffset())
        .setRawBytes(raw.getValue() == null ? null : ByteBuffer.wrap(raw.getValue().array()))
        .setFailedAt(Instant.now())
        .build();
  }

  /** A decoded change that a mapping or quality rule rejected. */
  public static DeadLetter rejected(String job, String rule, String message, SourceChange change) {
    return DeadLetter.newBuilder()
        .setJob(job)
        .setRule(rule)
        .setMessage(message)
        .setAgency(change.getAgency())
        .setSourceTable(change.getTable())
        .setSourcePosition(change.getPosition())
        .setRawTopic(change.getRawTopic())
        .setRawPartition(change.getRawPartition())
        .setRawOffset(change.getRawOffset())
        .setRawRow(change.getRow())
        .setFailedAt(Instant.now())
        .build();
  }

  /** The agency of a raw topic named {@code raw.<agency>.<table>}, or null. */
  public static String agencyOfTopic(String topic) {
    if (topic == null || !topic.startsWith("raw.")) {
      return null;
    }
    int end = topic.indexOf('.', 4);
    return end < 0 ? null : topic.substring(4, end);
  }
}
