package vn.ndc.sync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.ndc.sync.local.LocalRegistry;

/**
 * Splits the CPU time of the benchmark's processes by what each thread (of a JVM) or process (of
 * PostgreSQL) does, so that a pipeline's own cost per row can be told apart from what every part
 * pays alike: the load generator, the source database, pgoutput, the Kafka broker, the JIT.
 */
final class CpuByRole {

  /** What a thread or a PostgreSQL process does during a benchmark phase. */
  enum Role {
    /** The harness's main thread: it inserts the rows and polls the store once a second. */
    LOAD_GENERATOR,
    /** PostgreSQL backends on a source database: the inserts, a snapshot's reads. */
    SOURCE_DATABASE,
    /** PostgreSQL walsenders: logical decoding with pgoutput. */
    DECODING,
    /** The embedded Kafka broker's threads. */
    BROKER,
    /** The schema registry's JVM, and its storage's PostgreSQL backends. */
    REGISTRY,
    /** Every other thread of the harness JVM and the Connect worker: the pipeline under test. */
    PIPELINE,
    /** PostgreSQL backends on a store database: the sink's writes, the harness's row counts. */
    STORE_DATABASE,
    /** HotSpot's C1 and C2 compiler threads of every JVM. */
    JIT,
    /** Garbage collection and the JVMs' service threads. */
    JVM_RUNTIME,
    /** PostgreSQL's background processes, and backends that exited during the phase. */
    POSTGRES_OTHER;

    /**
     * What a pipeline itself costs: its threads, the broker's work for what it writes to Kafka (the
     * peer's JSON records weigh more there than ndc-sync's Avro) and its store's backends.
     */
    static final List<Role> OWN = List.of(PIPELINE, BROKER, STORE_DATABASE);

    /** What every part pays alike for the same load: the inserts and their decoding. */
    static final List<Role> SHARED = List.of(LOAD_GENERATOR, SOURCE_DATABASE, DECODING);

    /** The role's name in figure keys. */
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How to read a watched process's CPU. */
  enum Kind {
    /** This JVM: harness, load generator, broker and (in the ndc-sync part) the pipeline. */
    HARNESS_JVM,
    /** A JVM that runs a pipeline and nothing else (the peer's Connect worker). */
    PIPELINE_JVM,
    /** The schema registry's JVM. */
    REGISTRY_JVM,
    /** PostgreSQL: one process per connection. */
    POSTGRES
  }

  // Thread names are cut to 15 characters by Linux (/proc/<pid>/task/<tid>/stat).
  private static final Pattern JIT = Pattern.compile("^C[12] CompilerThre");
  private static final Pattern JVM_RUNTIME =
      Pattern.compile(
          "^(GC Thread|G1 |VM Thread|VM Periodic|Service Thread|Monitor Deflati|Sweeper thread"
              + "|Reference Handl|Finalizer|Common-Cleaner|Signal Dispatch|Notification Th"
              + "|Attach Listener)");
  private static final Pattern BROKER =
      Pattern.compile(
          "^(data-plane-kafk|kafka-\\d+-(raft|metadat|snapsho)|raft-|quorum-control|controller-\\d"
              + "|broker-\\d|group-coordinat|share-coordinat|share-group-|transaction-log"
              + "|TxnMarkerSender|AddPartitionsTo|ExpirationReape|kafka-scheduler|kafka-log-clean"
              + "|LogDirFailureHa|SensorExpiryThr|ThrottledChanne|metrics-meter-t|persister-state"
              + "|PersisterStateM|network-partiti|executor-|client-metrics-)");
  // "postgres: <user> <database> <host(port) or [local]> <activity>", as PostgreSQL titles a
  // client backend; a logical walsender puts "walsender" first.
  private static final Pattern BACKEND =
      Pattern.compile("^postgres: (\\S+) (\\S+) (\\S+\\(\\d+\\)|\\[local\\])");

  /** Source databases of the benchmark runs are named so (see {@code Benchmarks}); stores not. */
  static final String SOURCE_DATABASE_PREFIX = "bench_";

  private CpuByRole() {}

  /** The role of a JVM thread, from its (possibly truncated) name. */
  static Role ofThread(Kind kind, String name) {
    if (JIT.matcher(name).find()) {
      return Role.JIT;
    }
    if (JVM_RUNTIME.matcher(name).find()) {
      return Role.JVM_RUNTIME;
    }
    return switch (kind) {
      case REGISTRY_JVM -> Role.REGISTRY;
      case HARNESS_JVM -> {
        if (BROKER.matcher(name).find()) {
          yield Role.BROKER;
        }
        // The launcher names the main thread after the program; HotSpot does not rename it.
        yield name.equals("java") || name.startsWith("bench-")
            ? Role.LOAD_GENERATOR
            : Role.PIPELINE;
      }
      case PIPELINE_JVM, POSTGRES -> Role.PIPELINE;
    };
  }

  /** The role of a PostgreSQL process, from its title (its command line). */
  static Role ofPostgresProcess(String title) {
    if (title.startsWith("postgres: walsender ")) {
      return Role.DECODING;
    }
    Matcher m = BACKEND.matcher(title);
    if (!m.find()) {
      return Role.POSTGRES_OTHER;
    }
    String database = m.group(2);
    if (database.startsWith(SOURCE_DATABASE_PREFIX)) {
      return Role.SOURCE_DATABASE;
    }
    if (database.equals(LocalRegistry.DATABASE)) {
      return Role.REGISTRY;
    }
    return database.equals("postgres") || database.startsWith("template")
        ? Role.POSTGRES_OTHER
        : Role.STORE_DATABASE;
  }

  /**
   * A reading of every watched process: each one's CPU ticks (its reaped children included), its
   * kind, the ticks of each of its threads or backends with their role, and the total per watched
   * name.
   */
  record Mark(
      Map<Long, Long> processTicks,
      Map<Long, Kind> kinds,
      Map<String, Unit> units,
      Map<String, Long> ticksByName) {

    /** CPU seconds of each watched name used since {@code before}. */
    Map<String, Double> secondsByNameSince(Mark before) {
      Map<String, Double> out = new LinkedHashMap<>();
      ticksByName.forEach(
          (name, t) ->
              out.put(name, (t - before.ticksByName().getOrDefault(name, 0L)) / TICKS_PER_SECOND));
      return out;
    }
  }

  /** A thread of a JVM, or a PostgreSQL process, with its ticks so far. */
  record Unit(long pid, Kind kind, Role role, long ticks) {}

  /** Reads every watched process now: each thread's or process's /proc stat once. */
  static Mark mark(List<MemorySampler.Watched> watched) {
    Map<Long, Long> processTicks = new HashMap<>();
    Map<Long, Kind> kinds = new HashMap<>();
    Map<String, Unit> units = new HashMap<>();
    Map<String, Long> ticksByName = new LinkedHashMap<>();
    for (MemorySampler.Watched w : watched) {
      long total = 0;
      for (long pid : MemorySampler.pidsOf(w)) {
        Stat process = Stat.read(Path.of("/proc", String.valueOf(pid), "stat"));
        if (process == null) {
          continue; // gone meanwhile
        }
        processTicks.put(pid, process.own() + process.children());
        kinds.put(pid, w.kind());
        total += process.own() + process.children();
        if (w.kind() == Kind.POSTGRES) {
          String title = title(pid);
          if (title != null) {
            units.put(pid + "", new Unit(pid, w.kind(), ofPostgresProcess(title), process.own()));
          }
        } else {
          readThreads(pid, w.kind(), units);
        }
      }
      ticksByName.put(w.name(), total);
    }
    return new Mark(processTicks, kinds, units, ticksByName);
  }

  /**
   * CPU seconds per role between two marks. The time of threads that ended meanwhile stays in their
   * process's total and goes to the role such threads have there (the pipeline's, in a JVM: Flink
   * tasks and Debezium threads come and go with each run). A PostgreSQL backend that exited is
   * reaped by the postmaster, whose children's time then holds that backend's whole life, so its
   * time before the first mark is taken back out.
   */
  static Map<Role, Double> between(Mark before, Mark now) {
    Map<Role, Long> ticks = new EnumMap<>(Role.class);
    Map<Long, Long> live = new HashMap<>();
    for (Map.Entry<String, Unit> e : now.units().entrySet()) {
      Unit u = e.getValue();
      Unit was = before.units().get(e.getKey());
      long used = u.ticks() - (was == null ? 0 : was.ticks());
      ticks.merge(u.role(), used, Long::sum);
      live.merge(u.pid(), used, Long::sum);
    }
    long exitedBackendsBefore = 0;
    for (Map.Entry<String, Unit> e : before.units().entrySet()) {
      Unit u = e.getValue();
      if (u.kind() == Kind.POSTGRES && !now.units().containsKey(e.getKey())) {
        exitedBackendsBefore += u.ticks();
      }
    }
    ticks.merge(Role.POSTGRES_OTHER, -exitedBackendsBefore, Long::sum);
    for (Map.Entry<Long, Long> p : now.processTicks().entrySet()) {
      long pid = p.getKey();
      long used = p.getValue() - before.processTicks().getOrDefault(pid, 0L);
      long rest = used - live.getOrDefault(pid, 0L);
      ticks.merge(residualRole(now.kinds().get(pid)), rest, Long::sum);
    }
    Map<Role, Double> out = new EnumMap<>(Role.class);
    ticks.forEach((role, t) -> out.put(role, Math.max(t, 0) / TICKS_PER_SECOND));
    return out;
  }

  private static Role residualRole(Kind kind) {
    return switch (kind) {
      case HARNESS_JVM, PIPELINE_JVM -> Role.PIPELINE;
      case REGISTRY_JVM -> Role.REGISTRY;
      case POSTGRES -> Role.POSTGRES_OTHER;
    };
  }

  private static void readThreads(long pid, Kind kind, Map<String, Unit> units) {
    Path tasks = Path.of("/proc", String.valueOf(pid), "task");
    try (var threads = Files.list(tasks)) {
      for (Path task : threads.toList()) {
        Stat thread = Stat.read(task.resolve("stat"));
        if (thread != null) {
          units.put(
              pid + "/" + task.getFileName(),
              new Unit(pid, kind, ofThread(kind, thread.name()), thread.own()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone, or this is not Linux
    }
  }

  // USER_HZ: 100 on every mainstream Linux architecture.
  private static final double TICKS_PER_SECOND = 100;

  /**
   * A /proc stat line: the (possibly truncated) name, utime + stime, and cutime + cstime (the
   * children it has reaped), in clock ticks.
   */
  private record Stat(String name, long own, long children) {

    /** The stat file read and parsed, or null when the thread or process is gone. */
    static Stat read(Path stat) {
      try {
        String text = Files.readString(stat);
        String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
        // The name may hold spaces; after it, f[0] is field 3 (state), so utime, stime, cutime and
        // cstime (fields 14-17) are f[11]-f[14].
        String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
        return new Stat(
            name,
            Long.parseLong(f[11]) + Long.parseLong(f[12]),
            Long.parseLong(f[13]) + Long.parseLong(f[14]));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }

  private static String title(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
