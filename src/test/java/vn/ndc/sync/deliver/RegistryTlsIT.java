package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.DeadLetter;
import vn.ndc.sync.config.TestJobOptions;
import vn.ndc.sync.job.PersonSyncJob;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.local.TestCertificates;

/**
 * The job's registry clients over HTTPS: with {@code registry.ssl.truststore} they register a
 * schema and read it back through the registry's HTTPS address, and a certificate from another CA
 * is refused as a TLS failure, not retried as an outage would be.
 */
class RegistryTlsIT {

  private static final SharedTestStack stack = SharedTestStack.get();

  private static Map<String, Object> jobSerde(Path truststore) {
    Configuration options =
        TestJobOptions.with(
            Map.of(
                "registry.url",
                stack.registry().httpsUrl() + "/apis/registry/v3",
                "registry.ssl.truststore",
                truststore.toString()));
    return PersonSyncJob.serdeConfig(options);
  }

  private static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setJob("registry-tls-it")
        .setRule("test.registry-tls")
        .setMessage("through HTTPS")
        .setRawTopic("raw.t")
        .setRawPartition(0)
        .setRawOffset(7)
        .setFailedAt(Instant.now())
        .build();
  }

  @Test
  void theJobsEncoderAndDecoderUseTheRegistryOverHttps() {
    Map<String, Object> serde = jobSerde(stack.registryCa());
    String topic = stack.uniqueName("dlq.registry-tls");

    byte[] bytes;
    try (ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(serde, false)) {
      bytes = encoder.encode(topic, deadLetter());
    }
    GenericRecord decoded;
    try (ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(serde)) {
      decoded = decoder.decode(topic, bytes);
    }

    assertThat(decoded.get("rule").toString()).isEqualTo("test.registry-tls");
    assertThat(decoded.get("rawOffset")).isEqualTo(7L);
  }

  @Test
  void aRegistryCertificateFromAnotherCaIsRefusedWithoutRetrying() throws Exception {
    Path dir = stack.newDir("registry-stranger");
    Path strangerCa = dir.resolve("stranger-ca.crt");
    TestCertificates.selfSigned(dir.resolve("stranger.p12"), strangerCa);
    Map<String, Object> serde = jobSerde(strangerCa);

    try (ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(serde, false)) {
      assertThatThrownBy(() -> encoder.encode(stack.uniqueName("dlq.stranger"), deadLetter()))
          .hasMessageContaining("failed TLS")
          .hasMessageContaining("registry.ssl.truststore")
          .hasCauseInstanceOf(SSLHandshakeException.class);
    }
  }
}
