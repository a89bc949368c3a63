package vn.ndc.sync.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for jobs run on a local environment in the test's own JVM: it keeps what {@code view}
 * makes of each record, under a name the test chooses, so the test can assert what the job sent.
 */
public final class CollectingSink<T> implements Sink<T> {
  private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

  private final String name;
  private final MapFunction<T, ?> view;

  private CollectingSink(String name, MapFunction<T, ?> view) {
    this.name = name;
    this.view = view;
  }

  /** A sink collecting under {@code name} (what it held before is dropped). */
  public static <T> CollectingSink<T> named(String name, MapFunction<T, ?> view) {
    RECEIVED.put(name, new CopyOnWriteArrayList<>());
    return new CollectingSink<>(name, view);
  }

  /** What the sinks named {@code name} received, in arrival order per writer. */
  public static List<Object> received(String name) {
    return List.copyOf(RECEIVED.getOrDefault(name, List.of()));
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> target = RECEIVED.get(name);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) throws java.io.IOException {
        try {
          target.add(view.map(element));
        } catch (Exception e) {
          throw new java.io.IOException(e);
        }
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
