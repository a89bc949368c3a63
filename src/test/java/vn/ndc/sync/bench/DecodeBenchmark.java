package vn.ndc.sync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vn.ndc.sync.avro.RawRecord;
import vn.ndc.sync.standardize.DebeziumEnvelope;

/**
 * Decode: {@link DebeziumEnvelope#flatten} on Debezium PostgreSQL insert envelopes (the Avro shape
 * the capture writes: row image, full source block), records/s on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vn.ndc.sync.avro")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DecodeBenchmark {

  private static final Schema MICRO_TS =
      connect(SchemaBuilder.builder().longType(), "io.debezium.time.MicroTimestamp");

  private static final Schema ROW =
      SchemaBuilder.record("Value")
          .namespace("civil_registry.public.nhan_khau")
          .fields()
          .requiredLong("id")
          .optionalString("so_dinh_danh")
          .optionalString("so_cmnd")
          .requiredString("ho_ten")
          .optionalString("ngay_sinh")
          .optionalString("gioi_tinh")
          .optionalString("dan_toc")
          .optionalString("quoc_tich")
          .optionalString("dia_chi_thuong_tru")
          .optionalString("so_dien_thoai")
          .name("cap_nhat_luc")
          .type(MICRO_TS)
          .noDefault()
          .endRecord();

  private static final Schema SOURCE =
      SchemaBuilder.record("Source")
          .namespace("io.debezium.connector.postgresql")
          .fields()
          .requiredString("version")
          .requiredString("connector")
          .requiredString("name")
          .requiredLong("ts_ms")
          .optionalString("snapshot")
          .requiredString("db")
          .optionalString("sequence")
          .optionalLong("ts_us")
          .optionalLong("ts_ns")
          .requiredString("schema")
          .requiredString("table")
          .optionalLong("txId")
          .optionalLong("lsn")
          .optionalLong("xmin")
          .endRecord();

  private static final Schema ENVELOPE =
      SchemaBuilder.record("Envelope")
          .namespace("civil_registry.public.nhan_khau")
          .fields()
          .name("before")
          .type()
          .optional()
          .type(ROW)
          .name("after")
          .type()
          .optional()
          .type(ROW)
          .name("source")
          .type(SOURCE)
          .noDefault()
          .requiredString("op")
          .optionalLong("ts_ms")
          .optionalLong("ts_us")
          .optionalLong("ts_ns")
          .endRecord();

  private static final RawRecord RAW =
      RawRecord.newBuilder()
          .setTopic("raw.civil-registry.nhan_khau")
          .setPartition(0)
          .setOffset(42)
          .setTimestamp(0)
          .build();

  private List<GenericRecord> envelopes;

  @Setup
  public void setUp() {
    envelopes = new ArrayList<>();
    long lsn = 0x16B3748L;
    long ts = 1_780_282_800_000L;
    int i = 0;
    for (Map<String, String> row : BenchPeople.rows(BenchPeople.BATCH)) {
      GenericRecord after = new GenericData.Record(ROW);
      for (Schema.Field f : ROW.getFields()) {
        if (f.name().equals("id")) {
          after.put("id", Long.parseLong(row.get("id")));
        } else if (f.name().equals("cap_nhat_luc")) {
          after.put("cap_nhat_luc", ts * 1000 + 123);
        } else {
          after.put(f.name(), row.get(f.name()));
        }
      }
      GenericRecord source = new GenericData.Record(SOURCE);
      source.put("version", "3.5.0.Final");
      source.put("connector", "postgresql");
      source.put("name", "civil-registry");
      source.put("ts_ms", ts + i);
      source.put("snapshot", "false");
      source.put("db", "civil_registry");
      source.put("sequence", "[null,\"" + (lsn + i * 512L) + "\"]");
      source.put("ts_us", (ts + i) * 1000);
      source.put("ts_ns", (ts + i) * 1_000_000);
      source.put("schema", "public");
      source.put("table", "nhan_khau");
      source.put("txId", 1000L + i / 100);
      source.put("lsn", lsn + i * 512L);
      GenericRecord env = new GenericData.Record(ENVELOPE);
      env.put("after", after);
      env.put("source", source);
      env.put("op", "c");
      env.put("ts_ms", ts + i + 20);
      envelopes.add(env);
      i++;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BenchPeople.BATCH)
  public void flatten(Blackhole out) {
    long now = System.currentTimeMillis();
    for (GenericRecord env : envelopes) {
      out.consume(DebeziumEnvelope.flatten(env, "civil-registry", RAW, now));
    }
  }

  private static Schema connect(Schema schema, String name) {
    schema.addProp("connect.name", name);
    return schema;
  }
}
