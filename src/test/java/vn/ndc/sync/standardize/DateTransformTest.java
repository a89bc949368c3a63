package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateTransformTest {

  private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
  private final DateTransform dates =
      new DateTransform(List.of("dd/MM/yyyy", "d/M/yyyy", "dd/MM/yy", "dd-MM-yyyy"), VIETNAM);

  @ParameterizedTest(name = "date({0}) = {1}")
  @CsvSource({
    "'17/05/1990', '1990-05-17'",
    "'7/5/1990', '1990-05-07'",
    "'29/02/2000', '2000-02-29'",
    "'17-05-1990', '1990-05-17'",
    "' 17/05/1990 ', '1990-05-17'",
    // two-digit years: the latest such year not in the future
    "'17/05/90', '1990-05-17'",
    "'01/01/05', '2005-01-01'",
    "'31/12/99', '1999-12-31'",
    // ISO dates and date-times
    "'1990-05-17', '1990-05-17'",
    "'1990-05-17T23:30:00', '1990-05-17'",
    "'1990-05-17 23:30:00', '1990-05-17'",
    // with a zone: the date in Vietnam (UTC+7)
    "'1990-05-17T18:00:00Z', '1990-05-18'",
    "'1990-05-17T16:59:59Z', '1990-05-17'",
    "'1990-05-17T23:30:00+07:00', '1990-05-17'",
    "'1990-05-17T10:00:00+07:00[Asia/Ho_Chi_Minh]', '1990-05-17'",
    // epoch days (Debezium DATE) and epoch millis (Debezium TIMESTAMP)
    "'7441', '1990-05-17'",
    "'0', '1970-01-01'",
    "'-25567', '1900-01-01'",
    "'642877200000', '1990-05-17'",
    "'642985200000', '1990-05-18'", // 23:00 UTC is 06:00 next day in Vietnam
  })
  void parses(String input, LocalDate expected) throws Exception {
    assertThat(dates.apply(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "31/02/1990", // no rollover to March
        "29/02/1990",
        "32/01/1990",
        "17/13/1990",
        "1990-02-30",
        "17.05.1990",
        "hôm qua",
        "19900517", // looks like yyyyMMdd, not an epoch value
      })
  void rejectsStrictly(String input) {
    assertThatThrownBy(() -> dates.apply(input))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.kind()).isEqualTo("format"));
  }

  @Test
  void yyyyMMddNeedsAnExplicitFormat() throws Exception {
    DateTransform compact = new DateTransform(List.of("yyyyMMdd"), VIETNAM);
    assertThat(compact.apply("19900517")).isEqualTo(LocalDate.of(1990, 5, 17));
  }

  @Test
  void patternMayIncludeATimeOfDay() throws Exception {
    DateTransform withTime = new DateTransform(List.of("dd/MM/yyyy HH:mm:ss"), VIETNAM);
    assertThat(withTime.apply("17/05/1990 23:59:59")).isEqualTo(LocalDate.of(1990, 5, 17));
  }

  @Test
  void timezoneOptionChangesHowInstantsAreRead() throws Exception {
    DateTransform utc = new DateTransform(List.of(), ZoneId.of("UTC"));
    assertThat(utc.apply("1990-05-17T18:00:00Z")).isEqualTo(LocalDate.of(1990, 5, 17));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dd/MM", "HH:mm", "dd/MM/yyyy {"})
  void rejectsPatternsThatCannotMakeADate(String pattern) {
    assertThatThrownBy(() -> new DateTransform(List.of(pattern), VIETNAM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern);
  }
}
