package vn.ndc.sync.standardize;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Transform {@code date}: a calendar date. Tried in order: the mapping's {@code formats} (java.time
 * patterns, parsed strictly: 31/02/1990 is rejected, not rolled over; a time of day in a pattern is
 * ignored), ISO yyyy-MM-dd, ISO date-times (without zone: read as local time in the mapping's time
 * zone; with offset or Z: converted to that zone), then an integer epoch value: below 100000 in
 * absolute value it is days since 1970-01-01 (Debezium's DATE), from 100000000 on it is epoch
 * milliseconds (Debezium's TIMESTAMP). Integers in between are rejected as ambiguous: they look
 * like yyyyMMdd, which needs an explicit format. A two-digit year (pattern yy) is the latest such
 * year not after today, since the dates standardized here are dates of birth.
 */
public final class DateTransform implements ValueTransform {

  private static final long serialVersionUID = 1L;
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern SPACE_BEFORE_TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}) (\\d)");
  private static final long MAX_EPOCH_DAYS = 100_000;
  private static final long MIN_EPOCH_MILLIS = 100_000_000;
  // Has every field a pattern can print, so only patterns lacking a date fail the probe.
  private static final ZonedDateTime FORMAT_PROBE =
      ZonedDateTime.of(1987, 11, 23, 10, 11, 12, 0, ZoneId.of("Asia/Ho_Chi_Minh"));

  private final ArrayList<String> formats;
  private final ZoneId zone;
  // java.time formatters are not Serializable: rebuilt from the patterns after deserialization.
  private transient List<DateTimeFormatter> formatters;

  /**
   * @throws IllegalArgumentException naming the pattern when a format is not a valid java.time
   *     pattern or does not contain a year, month and day
   */
  public DateTransform(List<String> formats, ZoneId zone) {
    this.formats = new ArrayList<>(formats);
    this.zone = zone;
    this.formatters = compile(this.formats);
  }

  private static List<DateTimeFormatter> compile(List<String> patterns) {
    List<DateTimeFormatter> compiled = new ArrayList<>();
    for (String pattern : patterns) {
      DateTimeFormatter formatter;
      try {
        // Strict resolution rejects yyyy (year-of-era) without an era; uuuu is the same year.
        formatter =
            new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(pattern.replace('y', 'u'))
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + pattern + "' is not a valid date pattern: " + e.getMessage(), e);
      }
      try {
        LocalDate.parse(formatter.format(FORMAT_PROBE), formatter);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "date pattern '" + pattern + "' must contain a year, month and day (e.g. dd/MM/yyyy)",
            e);
      }
      compiled.add(formatter);
    }
    return compiled;
  }

  @Override
  public Object apply(String raw) throws InvalidValueException {
    String text = VietnameseText.clean(raw);
    if (text == null) {
      return null;
    }
    if (formatters == null) {
      formatters = compile(formats);
    }
    for (int i = 0; i < formatters.size(); i++) {
      try {
        return pivotTwoDigitYear(LocalDate.parse(text, formatters.get(i)), formats.get(i));
      } catch (DateTimeException e) {
        // next format
      }
    }
    LocalDate iso = parseIso(text);
    if (iso != null) {
      return iso;
    }
    if (INTEGER.matcher(text).matches()) {
      return fromEpoch(Long.parseLong(text), text);
    }
    throw new InvalidValueException(
        "format", "'" + text + "' is not a date in " + String.join(", ", formatsForMessage()));
  }

  private List<String> formatsForMessage() {
    List<String> all = new ArrayList<>(formats);
    all.add("yyyy-MM-dd");
    all.add("ISO date-time");
    all.add("epoch days/millis");
    return all;
  }

  private LocalDate pivotTwoDigitYear(LocalDate date, String pattern) {
    boolean twoDigitYear = pattern.contains("yy") && !pattern.contains("yyy");
    if (twoDigitYear && date.isAfter(LocalDate.now(zone))) {
      return date.minusYears(100);
    }
    return date;
  }

  private LocalDate parseIso(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeException e) {
      // not a plain date
    }
    String isoText = SPACE_BEFORE_TIME.matcher(text).replaceFirst("$1T$2");
    try {
      return LocalDateTime.parse(isoText).toLocalDate();
    } catch (DateTimeException e) {
      // not a local date-time
    }
    try {
      return OffsetDateTime.parse(isoText).atZoneSameInstant(zone).toLocalDate();
    } catch (DateTimeException e) {
      // not an offset date-time
    }
    try {
      return ZonedDateTime.parse(isoText).withZoneSameInstant(zone).toLocalDate();
    } catch (DateTimeException e) {
      return null;
    }
  }

  private LocalDate fromEpoch(long value, String text) throws InvalidValueException {
    long magnitude = Math.abs(value);
    try {
      if (magnitude < MAX_EPOCH_DAYS) {
        return LocalDate.ofEpochDay(value);
      }
      if (magnitude >= MIN_EPOCH_MILLIS) {
        return Instant.ofEpochMilli(value).atZone(zone).toLocalDate();
      }
    } catch (DateTimeException e) {
      throw new InvalidValueException("format", "epoch value " + text + " is out of range");
    }
    throw new InvalidValueException(
        "format",
        "'"
            + text
            + "' is ambiguous: too large for epoch days, too small for epoch millis; if it is"
            + " yyyyMMdd, add that format to the mapping");
  }

  @Override
  public Class<?> outputType() {
    return LocalDate.class;
  }
}
