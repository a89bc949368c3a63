package vn.ndc.sync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.ndc.sync.config.ConfigException;
import vn.ndc.sync.config.PersonSyncOptions;
import vn.ndc.sync.local.LocalPipeline;

/** A copy of the person-sync job file that differs only in its parallelism. */
final class BenchJobFile {

  // The job file keeps parallelism as a top-level key; a copy edited as text keeps every other
  // setting, comment and list exactly as the user wrote them.
  private static final Pattern TOP_LEVEL_PARALLELISM =
      Pattern.compile("(?m)^" + Pattern.quote(PersonSyncOptions.PARALLELISM.key()) + ":.*$");

  private BenchJobFile() {}

  /**
   * Writes {@code jobConfig} with {@code parallelism} to {@code copy} and returns {@code copy},
   * checked: it must load with the job's validation and carry the new parallelism.
   */
  static Path withParallelism(Path jobConfig, int parallelism, Path copy) throws IOException {
    String text = Files.readString(jobConfig, StandardCharsets.UTF_8);
    String line = PersonSyncOptions.PARALLELISM.key() + ": " + parallelism;
    Matcher m = TOP_LEVEL_PARALLELISM.matcher(text);
    String changed =
        m.find()
            ? m.replaceFirst(Matcher.quoteReplacement(line))
            : text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + line + "\n";
    Files.createDirectories(copy.toAbsolutePath().getParent());
    Files.writeString(copy, changed, StandardCharsets.UTF_8);
    int loaded = LocalPipeline.validatedJobOptions(copy).get(PersonSyncOptions.PARALLELISM);
    if (loaded != parallelism) {
      throw new ConfigException(
          jobConfig
              + ": the bench could not set its parallelism to "
              + parallelism
              + " (the copy reads "
              + loaded
              + "); write it as a top-level `parallelism:` line");
    }
    return copy;
  }
}
