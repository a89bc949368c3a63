package vn.ndc.sync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryJavaTest {

  @Test
  void parsesFeatureVersions() {
    assertThat(RegistryJava.parseFeature("1.8.0_392")).contains(8);
    assertThat(RegistryJava.parseFeature("17.0.15")).contains(17);
    assertThat(RegistryJava.parseFeature("21")).contains(21);
    assertThat(RegistryJava.parseFeature("25.0.3+9-LTS")).contains(25);
    assertThat(RegistryJava.parseFeature("x")).isEmpty();
  }

  @Test
  void runningJvmVersionIsDetected() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assertThat(RegistryJava.version(java)).contains(Runtime.version().feature());
  }

  @Test
  void missingExecutableHasNoVersion() {
    assertThat(RegistryJava.version(Path.of("no", "such", "java"))).isEqualTo(Optional.empty());
  }
}
