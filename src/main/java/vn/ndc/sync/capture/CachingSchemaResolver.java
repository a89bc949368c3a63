package vn.ndc.sync.capture;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.data.SerdeMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * Remembers which registry content an Avro schema resolved to, per topic and key/value side.
 *
 * <p>Apicurio's serde 3.1.7 (the newest on Maven Central) misses its own content cache when
 * auto-registering and POSTs the schema to the registry for every record (Apicurio issue #7395,
 * fixed only in later serdes): about ten records per second. A content id never changes for the
 * same content, so caching the lookup per schema object is safe; a new table shape arrives as a new
 * schema object and is resolved (and registered) once.
 */
final class CachingSchemaResolver extends DefaultSchemaResolver<Schema, Object> {

  private static final int MAX_ENTRIES = 10_000;

  private final Map<Key, SchemaLookupResult<Schema>> resolved = new ConcurrentHashMap<>();

  @Override
  public SchemaLookupResult<Schema> resolveSchema(Record<Object> data) {
    if (!(data.metadata() instanceof SerdeMetadata)
        || !(data.payload() instanceof GenericContainer)
        || data.metadata().artifactReference() != null) {
      return super.resolveSchema(data);
    }
    SerdeMetadata metadata = (SerdeMetadata) data.metadata();
    Key key =
        new Key(
            metadata.getTopic(), metadata.isKey(), ((GenericContainer) data.payload()).getSchema());
    SchemaLookupResult<Schema> result = resolved.get(key);
    if (result == null) {
      result = super.resolveSchema(data);
      if (resolved.size() >= MAX_ENTRIES) {
        resolved.clear();
      }
      resolved.put(key, result);
    }
    return result;
  }

  @Override
  public void reset() {
    resolved.clear();
    super.reset();
  }

  /**
   * Topic, side and schema; the schema is compared by identity, which is what ConnectAvro reuses.
   */
  private static final class Key {
    private final String topic;
    private final boolean isKey;
    private final Schema schema;

    Key(String topic, boolean isKey, Schema schema) {
      this.topic = topic;
      this.isKey = isKey;
      this.schema = schema;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return k.schema == schema && k.isKey == isKey && k.topic.equals(topic);
    }

    @Override
    public int hashCode() {
      return Objects.hash(topic, isKey, System.identityHashCode(schema));
    }
  }
}
