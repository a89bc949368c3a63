package vn.ndc.sync.standardize;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.job.DeadLetters;

/**
 * Decodes raw-topic records (Debezium envelopes in Avro, Confluent wire format) into {@link
 * SourceChange}s; anything undecodable goes to the dead-letter side output with its bytes.
 */
public final class DecodeRawRecord extends ProcessFunction<RawRecord, SourceChange> {

  private static final long serialVersionUID = 1L;

  private final Map<String, Object> serdeConfig;
  private transient ConfluentAvroDecoder decoder;

  public DecodeRawRecord(Map<String, Object> serdeConfig) {
    this.serdeConfig = Map.copyOf(serdeConfig);
  }

  @Override
  public void open(OpenContext openContext) {
    decoder = new ConfluentAvroDecoder(serdeConfig);
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<SourceChange> out) {
    if (raw.getValue() == null) {
      // Debezium's tombstone after a delete carries nothing the delete event did not.
      return;
    }
    String agency = DeadLetters.agencyOfTopic(raw.getTopic());
    if (agency == null) {
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.undecodable(
              "standardize",
              "decode.topic",
              "topic " + raw.getTopic() + " is not named raw.<agency>.<table>",
              raw));
      return;
    }
    GenericRecord envelope;
    try {
      byte[] bytes = new byte[raw.getValue().remaining()];
      raw.getValue().duplicate().get(bytes);
      envelope = decoder.decode(raw.getTopic(), bytes);
    } catch (RuntimeException e) {
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.undecodable(
              "standardize",
              "decode.avro",
              "value is not Avro of a registered schema in the Confluent wire format: "
                  + rootMessage(e),
              raw));
      return;
    }
    try {
      out.collect(DebeziumEnvelope.flatten(envelope, agency, raw, System.currentTimeMillis()));
    } catch (RuntimeException e) {
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.undecodable(
              "standardize",
              "decode.envelope",
              "not a Debezium change event: " + rootMessage(e),
              raw));
    }
  }

  @Override
  public void close() {
    if (decoder != null) {
      decoder.close();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
