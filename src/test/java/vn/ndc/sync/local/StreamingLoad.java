package vn.ndc.sync.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Demo changes committed in small batches on a background thread into every demo agency of a
 * pipeline, until stopped; a failing source (restarted, unreachable) is retried on new connections.
 */
final class StreamingLoad implements AutoCloseable {

  private final LocalPipeline pipeline;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong changes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;

  private StreamingLoad(LocalPipeline pipeline) {
    this.pipeline = pipeline;
    this.thread = new Thread(this::run, "streaming-load");
    thread.setDaemon(true);
  }

  /** Starts writing at once. */
  static StreamingLoad start(LocalPipeline pipeline) {
    StreamingLoad load = new StreamingLoad(pipeline);
    load.thread.start();
    return load;
  }

  private void run() {
    Random seeds = new Random();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    List<LocalPipeline.Agency> demo =
        pipeline.agencies().stream().filter(a -> DemoLoad.AGENCIES.contains(a.name())).toList();
    while (running.get()) {
      Map<String, Connection> sources = new LinkedHashMap<>();
      try {
        for (LocalPipeline.Agency agency : demo) {
          sources.put(agency.name(), pipeline.connectSource(agency));
        }
        // A new seed per batch: every insert is a person no earlier batch wrote.
        Map<String, DemoLoad.AgencyResult> done =
            new DemoLoad(seeds.nextLong(), 0, quiet).run(sources, 10L * demo.size());
        done.values().forEach(r -> changes.addAndGet(r.changes().changes()));
        Thread.sleep(100);
      } catch (SQLException e) {
        // The source is down or restarting: what was committed stays, the rest is retried.
        failures.incrementAndGet();
        pause(500);
      } catch (InterruptedException e) {
        return;
      } finally {
        for (Connection c : sources.values()) {
          try {
            c.close();
          } catch (SQLException e) {
            // a broken connection: nothing to close
          }
        }
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Changes committed so far. */
  long changes() {
    return changes.get();
  }

  /** Batches that failed because a source was unavailable. */
  long failures() {
    return failures.get();
  }

  /** Stops after the current batch. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(60_000);
  }
}
