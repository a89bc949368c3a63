package vn.ndc.sync.deliver;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends dead-lettered changes through the pipeline again, once the agency's table or mapping that
 * made them fail has been fixed: each dead letter names the raw record it came from (raw topic,
 * partition, offset), and that record is appended again, unchanged, to the same raw topic and
 * partition, so the job standardizes it with the mapping it now runs.
 *
 * <p>Safe to run more than once and late: a change whose row has since passed with a newer version
 * is dropped by the job's dedup (versions are the source's), one that fails again gets a new dead
 * letter, and a later run sends only the newest copy of each change (the same source position and
 * row), however often it failed. A raw record that retention or compaction has removed cannot be
 * sent again; it is counted as gone (a newer version of its row, or a new snapshot of its table,
 * brings the row).
 */
public final class DeadLetterReplay {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final int PROGRESS_EVERY = 10_000;
  private static final Duration STALLED = Duration.ofMinutes(1);

  /**
   * Which dead letters to send again; an empty set matches all.
   *
   * @param since only dead letters written at or after it (null: all)
   */
  public record Filter(Set<String> agencies, Set<String> rules, Instant since) {

    public Filter {
      agencies = Set.copyOf(agencies);
      rules = Set.copyOf(rules);
    }

    /** True for a dead letter of {@code agency} and {@code rule} written at {@code failedAt}. */
    public boolean matches(String agency, String rule, Instant failedAt) {
      return (agencies.isEmpty() || agencies.contains(agency))
          && (rules.isEmpty() || rules.contains(rule))
          && (since == null || !failedAt.isBefore(since));
    }
  }

  /**
   * What a run did.
   *
   * @param read dead letters read
   * @param matched distinct changes the filter selected (one raw record each: the newest copy)
   * @param sent raw records appended again (0 on a dry run)
   * @param gone selected raw records no longer in their topic
   * @param byAgencyAndRule selected raw records by "agency rule"
   */
  public record Result(
      long read, long matched, long sent, long gone, Map<String, Long> byAgencyAndRule) {}

  private final Map<String, Object> kafka;
  private final Map<String, Object> serde;
  private final String deadLetterTopic;
  private final PrintWriter out;

  /**
   * @param kafka client settings for the cluster (bootstrap servers and security)
   * @param serde the registry settings the job's decoders use
   * @param deadLetterTopic the job's dead-letter topic
   * @param out where progress and the summary go
   */
  public DeadLetterReplay(
      Map<String, Object> kafka,
      Map<String, Object> serde,
      String deadLetterTopic,
      PrintWriter out) {
    this.kafka = Map.copyOf(kafka);
    this.serde = Map.copyOf(serde);
    this.deadLetterTopic = deadLetterTopic;
    this.out = out;
  }

  /** Reads the dead-letter topic up to its current end, and sends the selected changes again. */
  public Result run(Filter filter, boolean dryRun) {
    Map<String, Long> byAgencyAndRule = new TreeMap<>();
    Map<TopicPartition, TreeSet<Long>> wanted = new HashMap<>();
    long read = selected(filter, wanted, byAgencyAndRule);
    long matched = wanted.values().stream().mapToLong(Set::size).sum();
    out.printf(
        "read %d dead letters of %s; %d raw records selected%n", read, deadLetterTopic, matched);
    AtomicLong acknowledged = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long gone = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer();
        KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer()) {
      for (Map.Entry<TopicPartition, TreeSet<Long>> e : wanted.entrySet()) {
        if (failure.get() != null) {
          break; // the rest is for the next run
        }
        List<ConsumerRecord<byte[], byte[]>> found = fetch(consumer, e.getKey(), e.getValue());
        gone += e.getValue().size() - found.size();
        for (ConsumerRecord<byte[], byte[]> r : found) {
          if (producer == null) {
            continue;
          }
          producer.send(
              new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()),
              (metadata, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else if (acknowledged.incrementAndGet() % PROGRESS_EVERY == 0) {
                  out.printf("sent %d of %d%n", acknowledged.get(), matched);
                  out.flush();
                }
              });
          if (failure.get() != null) {
            break;
          }
        }
      }
      if (producer != null) {
        producer.flush();
      }
    }
    long sent = acknowledged.get();
    if (failure.get() != null) {
      // Appending the same change again later is harmless (dedup), so the run can be repeated.
      throw new IllegalStateException(
          "sending the raw records again failed after "
              + sent
              + " of them; nothing is lost, run it again once this is fixed: "
              + failure.get(),
          failure.get());
    }
    out.printf(
        "%s %d raw records again, %d gone from their topic (removed by retention or"
            + " compaction)%n",
        dryRun ? "would send" : "sent", dryRun ? matched - gone : sent, gone);
    byAgencyAndRule.forEach((k, n) -> out.printf("  %s: %d%n", k, n));
    out.flush();
    return new Result(read, matched, sent, gone, byAgencyAndRule);
  }

  /** Collects the distinct raw positions of the matching dead letters; returns how many it read. */
  private long selected(
      Filter filter, Map<TopicPartition, TreeSet<Long>> wanted, Map<String, Long> byAgencyAndRule) {
    long read = 0;
    // Per change, its newest copy: a copy that failed again has a dead letter of its own.
    Map<List<Object>, RawRecord> newest = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer();
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(serde)) {
      List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))
              || r.value() == null) {
            continue;
          }
          read++;
          GenericRecord letter = decoder.decode(r.topic(), r.value());
          String agency = text(letter.get("agency"));
          String rule = text(letter.get("rule"));
          if (!filter.matches(agency, rule, failedAt(letter.get("failedAt")))) {
            continue;
          }
          RawRecord raw =
              new RawRecord(
                  new TopicPartition(
                      text(letter.get("rawTopic")), (Integer) letter.get("rawPartition")),
                  (Long) letter.get("rawOffset"));
          List<Object> change = change(letter);
          RawRecord before = newest.putIfAbsent(change, raw);
          if (before == null) {
            byAgencyAndRule.merge(agency + " " + rule, 1L, Long::sum);
          } else if (raw.offset() > before.offset()) {
            newest.put(change, raw);
          }
        }
      }
    }
    newest
        .values()
        .forEach(r -> wanted.computeIfAbsent(r.partition(), k -> new TreeSet<>()).add(r.offset()));
    return read;
  }

  /** A record of a raw topic, which a dead letter names. */
  private record RawRecord(TopicPartition partition, long offset) {}

  /**
   * What makes a dead letter's change itself, whichever copy of it in the raw topic failed: its raw
   * topic and partition, source position and row (or undecodable bytes). When the position is
   * unknown, two copies cannot be told from two changes, so the raw record itself is the change: a
   * raw record dead-lettered more than once is still sent once.
   */
  static List<Object> change(GenericRecord letter) {
    Object position = letter.get("sourcePosition");
    if (position == null) {
      return List.of(
          text(letter.get("rawTopic")), letter.get("rawPartition"), letter.get("rawOffset"));
    }
    Object row = letter.get("rawRow");
    Object content;
    if (row instanceof Map<?, ?> columns) {
      Map<String, String> sorted = new TreeMap<>();
      columns.forEach((k, v) -> sorted.put(k.toString(), text(v)));
      content = sorted;
    } else {
      Object bytes = letter.get("rawBytes");
      content = bytes instanceof ByteBuffer b ? b.duplicate() : bytes;
    }
    return Arrays.asList(
        text(letter.get("rawTopic")), letter.get("rawPartition"), position.toString(), content);
  }

  /** The records at {@code offsets} of {@code tp} that the topic still holds, in offset order. */
  private static List<ConsumerRecord<byte[], byte[]>> fetch(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, TreeSet<Long> offsets) {
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    consumer.assign(List.of(tp));
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    Long next = offsets.ceiling(consumer.beginningOffsets(List.of(tp)).get(tp));
    long deadline = System.nanoTime() + STALLED.toNanos();
    while (next != null && next < end) {
      consumer.seek(tp, next);
      List<ConsumerRecord<byte[], byte[]>> batch = consumer.poll(POLL).records(tp);
      if (batch.isEmpty() && consumer.position(tp) <= next) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "no record of " + tp + " could be read at offset " + next + " within " + STALLED);
        }
        continue; // nothing fetched yet
      }
      deadline = System.nanoTime() + STALLED.toNanos();
      long last = next;
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        if (offsets.contains(r.offset())) {
          found.add(r);
        }
        last = Math.max(last, r.offset());
      }
      // Offsets compaction removed are skipped by the fetch: the next wanted one after this batch.
      next = offsets.higher(Math.max(last, consumer.position(tp) - 1));
    }
    return found;
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put("enable.auto.commit", false);
    // Dead letters and raw records count once their transactions commit.
    config.put("isolation.level", "read_committed");
    config.put("max.poll.records", 2000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put("acks", "all");
    config.put("enable.idempotence", true);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static Instant failedAt(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    return Instant.ofEpochMilli(((Number) value).longValue());
  }
}
