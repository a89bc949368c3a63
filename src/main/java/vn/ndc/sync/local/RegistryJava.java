package vn.ndc.sync.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.ndc.sync.config.ConfigException;

/** Finds a Java 21+ executable for the Apicurio Registry child process (its classes need 21). */
public final class RegistryJava {

  /** Minimum Java feature version the registry server runs on. */
  public static final int MIN_VERSION = 21;

  static final String ENV = "NDC_REGISTRY_JAVA";

  private static final Pattern VERSION = Pattern.compile("version \"([^\"]+)\"");

  private RegistryJava() {}

  /**
   * Returns the java executable to run the registry with: {@code NDC_REGISTRY_JAVA}, then {@code
   * JAVA_HOME}, then the running JVM, then the newest JDK under /usr/lib/jvm, each only if it is
   * Java 21 or newer.
   */
  public static Path find() {
    String explicit = System.getenv(ENV);
    if (explicit != null && !explicit.isBlank()) {
      Path java = Path.of(explicit);
      if (Files.isDirectory(java)) {
        java = java.resolve("bin").resolve("java");
      }
      int version = version(java).orElse(-1);
      if (version < MIN_VERSION) {
        throw new ConfigException(
            ENV
                + "="
                + explicit
                + " is "
                + (version < 0 ? "not a working java executable" : "Java " + version)
                + "; Apicurio Registry needs Java "
                + MIN_VERSION
                + " or newer: point "
                + ENV
                + " at a newer java or unset it");
      }
      return java;
    }
    List<Path> candidates = new ArrayList<>();
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      candidates.add(Path.of(javaHome, "bin", "java"));
    }
    candidates.add(Path.of(System.getProperty("java.home"), "bin", "java"));
    for (Path candidate : candidates) {
      if (version(candidate).orElse(-1) >= MIN_VERSION) {
        return candidate;
      }
    }
    Path best = null;
    int bestVersion = -1;
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvms)) {
        for (Path dir : dirs) {
          Path java = dir.resolve("bin").resolve("java");
          int v = version(java).orElse(-1);
          if (v >= MIN_VERSION && v > bestVersion) {
            best = java;
            bestVersion = v;
          }
        }
      } catch (IOException e) {
        // An unreadable /usr/lib/jvm is the same as none: fall through to the install hint.
      }
    }
    if (best != null) {
      return best;
    }
    throw new ConfigException(
        "Apicurio Registry needs Java "
            + MIN_VERSION
            + " or newer, and none was found (checked "
            + ENV
            + ", JAVA_HOME, the running JVM and /usr/lib/jvm); install one (apt-get install"
            + " temurin-21-jdk or openjdk-21-jdk) or set "
            + ENV
            + "=/path/to/java");
  }

  /** The feature version (e.g. 25) of a java executable, from its release file or -version. */
  static Optional<Integer> version(Path java) {
    if (!Files.isExecutable(java)) {
      return Optional.empty();
    }
    Optional<Integer> fromRelease = releaseFileVersion(java);
    return fromRelease.isPresent() ? fromRelease : runVersion(java);
  }

  private static Optional<Integer> releaseFileVersion(Path java) {
    Path home = java.toAbsolutePath().getParent();
    home = home == null ? null : home.getParent();
    if (home == null || !Files.isRegularFile(home.resolve("release"))) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(home.resolve("release"))) {
      Properties release = new Properties();
      release.load(in);
      String value = release.getProperty("JAVA_VERSION");
      return value == null ? Optional.empty() : parseFeature(value.replace("\"", ""));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Integer> runVersion(Path java) {
    try {
      Process process =
          new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      Matcher m = VERSION.matcher(new String(out, StandardCharsets.UTF_8));
      return m.find() ? parseFeature(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** "1.8.0_392" → 8, "21.0.5" → 21, "25" → 25. */
  static Optional<Integer> parseFeature(String version) {
    String[] parts = version.trim().split("[.\\-+_]");
    try {
      int first = Integer.parseInt(parts[0]);
      if (first == 1 && parts.length > 1) {
        return Optional.of(Integer.parseInt(parts[1]));
      }
      return Optional.of(first);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
