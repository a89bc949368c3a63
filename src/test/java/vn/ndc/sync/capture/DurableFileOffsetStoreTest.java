package vn.ndc.sync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileOffsetStoreTest {

  @TempDir Path dir;

  @Test
  void savedOffsetsLoadInANewStoreAndInConnectsOwn() throws Exception {
    Path file = dir.resolve("agency.offsets");
    DurableFileOffsetStore store = new DurableFileOffsetStore();
    store.configure(config(file));
    store.start();
    ByteBuffer key = utf8("[\"civil-registry\",{\"server\":\"civil-registry\"}]");
    ByteBuffer value = utf8("{\"lsn\":40546128}");
    store.set(Map.of(key, value), null).get(10, TimeUnit.SECONDS);
    store.stop();

    assertThat(Files.exists(file)).isTrue();
    assertThat(Files.exists(dir.resolve("agency.offsets.tmp"))).isFalse();

    DurableFileOffsetStore again = new DurableFileOffsetStore();
    again.configure(config(file));
    again.start();
    assertThat(again.get(List.of(key)).get(10, TimeUnit.SECONDS)).containsEntry(key, value);
    again.stop();

    // Same format as Connect's store: a work dir written by either loads in the other.
    FileOffsetBackingStore connect =
        new FileOffsetBackingStore(io.debezium.embedded.KafkaConnectUtil.converterForOffsetStore());
    connect.configure(config(file));
    connect.start();
    assertThat(connect.get(List.of(key)).get(10, TimeUnit.SECONDS)).containsEntry(key, value);
    connect.stop();
  }

  private static StandaloneConfig config(Path file) {
    return new StandaloneConfig(
        Map.of(
            "bootstrap.servers", "localhost:9092",
            "key.converter", "org.apache.kafka.connect.json.JsonConverter",
            "value.converter", "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename", file.toString()));
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }
}
