package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.config.ConfigException;

class PortsTest {

  @Test
  void zeroPicksAFreePort() {
    int port = Ports.resolve(0, "--kafka-port");
    assertThat(port).isPositive();
    assertThat(Ports.isFree(port)).isTrue();
  }

  @Test
  void busyPortFailsWithTheOptionAndTheFix() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = busy.getLocalPort();
      assertThatThrownBy(() -> Ports.resolve(port, "--kafka-port"))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "port "
                  + port
                  + " (--kafka-port) is already in use; stop the process using it or pass"
                  + " --kafka-port 0 to pick a free one");
    }
  }

  @Test
  void outOfRangePortIsAConfigError() {
    assertThatThrownBy(() -> Ports.requireFree(70000, "--registry-port"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--registry-port");
  }
}
