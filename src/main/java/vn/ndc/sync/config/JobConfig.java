package vn.ndc.sync.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Loads a job config from {@code jobs/<job>.yaml} and validates it against the job's declared
 * options before anything starts: unknown keys, missing required keys and unparsable values fail
 * with the key and the fix.
 */
public final class JobConfig {

  private JobConfig() {}

  /** Every option declared as a public constant of {@code optionsClass}. */
  public static List<ConfigOption<?>> declaredOptions(Class<?> optionsClass) {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (Field f : optionsClass.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
        try {
          options.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return options;
  }

  /** Reads {@code file} (flat or nested YAML), applies {@code overrides} and validates. */
  public static Configuration load(
      Path file, Map<String, String> overrides, Class<?> optionsClass) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(
            "job config not found: " + file + "; pass an existing jobs/<job>.yaml");
      }
      try {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        if (tree instanceof Map<?, ?> map) {
          flatten("", map, values);
        } else if (tree != null) {
          throw new ConfigException(file + ": expected a map of option keys to values");
        }
      } catch (JsonProcessingException e) {
        throw new ConfigException(
            file + ": not valid YAML (" + e.getOriginalMessage() + " at " + e.getLocation() + ")");
      } catch (IOException e) {
        throw new ConfigException("cannot read job config " + file + ": " + e.getMessage(), e);
      }
    }
    values.putAll(overrides);
    return validate(values, optionsClass, file == null ? "job options" : file.toString());
  }

  /** Validates a flat key→value map against the options declared by {@code optionsClass}. */
  public static Configuration validate(
      Map<String, String> values, Class<?> optionsClass, String origin) {
    List<ConfigOption<?>> declared = declaredOptions(optionsClass);
    Map<String, ConfigOption<?>> byKey = new TreeMap<>();
    declared.forEach(o -> byKey.put(o.key(), o));
    for (String key : values.keySet()) {
      if (!byKey.containsKey(key)) {
        throw new ConfigException(
            origin
                + ": unknown option '"
                + key
                + "'; known options are: "
                + String.join(", ", byKey.keySet()));
      }
    }
    Configuration conf = Configuration.fromMap(values);
    for (ConfigOption<?> option : declared) {
      if (!option.hasDefaultValue() && !conf.contains(option)) {
        throw new ConfigException(
            origin + ": option '" + option.key() + "' is required (" + option.description() + ")");
      }
      try {
        conf.get(option);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            origin
                + ": option '"
                + option.key()
                + "' has an invalid value '"
                + values.get(option.key())
                + "' ("
                + e.getMessage()
                + ")");
      }
    }
    return conf;
  }

  /** Describes each option, for --help output and docs. */
  public static String describe(Class<?> optionsClass) {
    return declaredOptions(optionsClass).stream()
        .map(
            o ->
                String.format(
                    "  %-28s %s%s",
                    o.key(),
                    o.description(),
                    o.hasDefaultValue() ? " (default: " + o.defaultValue() + ")" : " (required)"))
        .collect(Collectors.joining("\n"));
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out);
      } else if (e.getValue() instanceof List<?> list) {
        // Flink reads list options as values separated by ';'.
        out.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(";")));
      } else if (e.getValue() != null) {
        out.put(key, String.valueOf(e.getValue()));
      }
    }
  }
}
