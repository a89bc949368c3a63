package vn.ndc.sync.local;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.job.FlinkEnvironments;

/**
 * A Flink MiniCluster that outlives its jobs, like a session cluster: pipelines started with it
 * submit their job to it and leave it running when they close. The bench keeps one for its ndc-sync
 * part, as it keeps one Kafka Connect worker for the peer's.
 */
public final class LocalFlinkCluster implements AutoCloseable {

  private final MiniCluster cluster;
  private final int restPort;
  private final int slots;

  private LocalFlinkCluster(MiniCluster cluster, int restPort, int slots) {
    this.cluster = cluster;
    this.restPort = restPort;
    this.slots = slots;
  }

  /**
   * Starts a cluster with one task manager of {@code slots} slots and the job defaults of {@code
   * stateBackend}, its REST endpoint on a free loopback port.
   */
  public static LocalFlinkCluster start(
      int slots, PersonSyncOptions.StateBackendKind stateBackend) {
    int port = Ports.freePort();
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(FlinkEnvironments.clusterConfiguration(port, slots, stateBackend))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    try {
      cluster.start();
    } catch (Exception e) {
      closeQuietly(cluster);
      throw new IllegalStateException("the Flink cluster did not start: " + e.getMessage(), e);
    }
    return new LocalFlinkCluster(cluster, port, slots);
  }

  /** Port of the REST endpoint and web UI on 127.0.0.1. */
  public int restPort() {
    return restPort;
  }

  /** Task slots: the highest parallelism a job on this cluster can run with. */
  public int slots() {
    return slots;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }

  private static void closeQuietly(MiniCluster cluster) {
    try {
      cluster.close();
    } catch (Exception suppressed) {
      // the start failure is what the caller needs to see
    }
  }
}
