package vn.ndc.sync.capture;

import io.debezium.embedded.KafkaConnectUtil;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * Debezium's file offset store, written so a crash never loses the offsets: Connect's own store
 * truncates the file and rewrites it in place, and reads an empty or cut-off file as "no offsets",
 * so a process killed mid-write would silently re-snapshot every table on restart. This one writes
 * a temporary file, forces it to disk and renames it over the old one; the format is unchanged, so
 * existing offset files load as before.
 */
public final class DurableFileOffsetStore extends FileOffsetBackingStore {

  private Path file;

  /** Instantiated by the Debezium engine from {@code offset.storage}. */
  public DurableFileOffsetStore() {
    super(KafkaConnectUtil.converterForOffsetStore());
  }

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG));
  }

  @Override
  protected void save() {
    // The same serialized form the parent's load() reads: a HashMap of key bytes to value bytes.
    HashMap<byte[], byte[]> raw = new HashMap<>();
    for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
      raw.put(bytes(e.getKey()), bytes(e.getValue()));
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel channel =
              FileChannel.open(
                  tmp,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
          ObjectOutputStream out = new ObjectOutputStream(Channels.newOutputStream(channel))) {
        out.writeObject(raw);
        out.flush();
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConnectException(
          "cannot save source offsets to " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
