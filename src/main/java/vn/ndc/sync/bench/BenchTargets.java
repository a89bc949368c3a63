package vn.ndc.sync.bench;

import java.util.Collection;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import vn.ndc.sync.local.LocalKafka;

/** Helpers the targets share. */
final class BenchTargets {

  private BenchTargets() {}

  /** Deletes topics so that repeated runs do not fill the disk. */
  static void deleteTopics(LocalKafka kafka, Collection<String> topics)
      throws InterruptedException {
    try (Admin admin = kafka.admin()) {
      admin.deleteTopics(topics).all().get();
    } catch (ExecutionException e) {
      // already gone: nothing to free
    }
  }
}
