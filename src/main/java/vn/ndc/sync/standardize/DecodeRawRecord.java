package vn.ndc.sync.standardize;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.deliver.ConfluentAvroDecoder;
import vn.ndc.sync.deliver.SchemaRegistryClient;
import vn.ndc.sync.job.DeadLetters;

/**
 * Decodes raw-topic records (Debezium envelopes in Avro, Confluent wire format) into {@link
 * SourceChange}s; anything undecodable goes to the dead-letter side output with its bytes, and is
 * counted with the standardize step's dead letters. A registry that cannot be asked fails the task
 * instead: the record is not bad, and the job reads it again when it restarts from its checkpoint.
 */
public final class DecodeRawRecord extends ProcessFunction<RawRecord, SourceChange> {

  private static final long serialVersionUID = 1L;

  /** The agency label of records whose raw topic names none. */
  static final String UNKNOWN_AGENCY = "unknown";

  private final Map<String, Object> serdeConfig;
  private transient ConfluentAvroDecoder decoder;
  private transient StandardizeCounters counters;

  public DecodeRawRecord(Map<String, Object> serdeConfig) {
    this.serdeConfig = Map.copyOf(serdeConfig);
  }

  @Override
  public void open(OpenContext openContext) {
    decoder = new ConfluentAvroDecoder(serdeConfig);
    counters = new StandardizeCounters(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<SourceChange> out) {
    String agency = DeadLetters.agencyOfTopic(raw.getTopic());
    if (raw.getValue() == null) {
      // Debezium's tombstone after a delete carries nothing the delete event did not.
      counters.tombstoneSkipped(agency == null ? UNKNOWN_AGENCY : agency);
      return;
    }
    if (agency == null) {
      deadLetter(
          ctx,
          UNKNOWN_AGENCY,
          "decode.topic",
          "topic " + raw.getTopic() + " is not named raw.<agency>.<table>",
          raw);
      return;
    }
    GenericRecord envelope;
    try {
      byte[] bytes = new byte[raw.getValue().remaining()];
      raw.getValue().duplicate().get(bytes);
      envelope = decoder.decode(raw.getTopic(), bytes);
    } catch (SchemaRegistryClient.Refused e) {
      throw new IllegalStateException(
          "the schema registry refused to give the writer schema of a record of "
              + raw.getTopic()
              + " (check the job's registry settings): "
              + e.getMessage(),
          e);
    } catch (IllegalArgumentException | org.apache.avro.AvroRuntimeException e) {
      deadLetter(
          ctx,
          agency,
          "decode.avro",
          "value is not Avro of a registered schema in the Confluent wire format: "
              + rootMessage(e),
          raw);
      return;
    }
    try {
      out.collect(DebeziumEnvelope.flatten(envelope, agency, raw, System.currentTimeMillis()));
    } catch (RuntimeException e) {
      deadLetter(
          ctx, agency, "decode.envelope", "not a Debezium change event: " + rootMessage(e), raw);
    }
  }

  private void deadLetter(Context ctx, String agency, String rule, String message, RawRecord raw) {
    counters.deadLettered(agency, rule);
    ctx.output(DeadLetters.TAG, DeadLetters.undecodable("standardize", rule, message, raw));
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
