package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The COPY text rows the store's batches are sent as (round trips through PostgreSQL:
 * PersonStoreBatchIT).
 */
class CopyTextTest {

  @Test
  void separatorsAndBackslashesInsideAValueAreEscapedAndNullIsBackslashN() {
    CopyText rows = new CopyText();
    rows.text("a\tb").text("line 1\nline 2\r").text("C:\\dir").text(null).endRow();
    assertThat(rows.content().toString()).isEqualTo("a\\tb\tline 1\\nline 2\\r\tC:\\\\dir\t\\N\n");
    assertThat(rows.rows()).isEqualTo(1);
  }

  @Test
  void typedValuesAreWrittenAsTheServerReadsThem() {
    CopyText rows = new CopyText();
    rows.date(LocalDate.of(1998, 12, 16))
        .timestamp(Instant.parse("2026-11-23T10:00:00.123Z"))
        .bool(true)
        .bool(false)
        .number(46_137_856L)
        .date(null)
        .timestamp(null)
        .endRow();
    assertThat(rows.content().toString())
        .isEqualTo("1998-12-16\t2026-11-23T10:00:00.123Z\tt\tf\t46137856\t\\N\t\\N\n");
  }

  @Test
  void anArrayQuotesEveryElementAndItsQuotesAndBackslashesSurviveBothLayers() {
    CopyText rows = new CopyText();
    rows.textArray(Arrays.asList("civil-registry", "a,b {c}", "say \"hi\"", "x\\y", null))
        .textArray(List.of())
        .textArray(null)
        .endRow();
    // The array literal escapes " and \ with a backslash; COPY then doubles every backslash.
    assertThat(rows.content().toString())
        .isEqualTo(
            "{\"civil-registry\",\"a,b {c}\",\"say \\\\\"hi\\\\\"\",\"x\\\\\\\\y\",NULL}\t{}\t\\N\n");
  }

  @Test
  void clearStartsAFreshBatch() {
    CopyText rows = new CopyText();
    rows.text("a").text("b").endRow();
    rows.clear();
    rows.text("c").endRow();
    assertThat(rows.content().toString()).isEqualTo("c\n");
    assertThat(rows.rows()).isEqualTo(1);
  }
}
