package vn.ndc.sync.deliver;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Rows in PostgreSQL's {@code COPY ... FROM STDIN} text format: columns separated by tabs, {@code
 * \N} for null, and backslash escapes for a backslash, tab, newline or carriage return inside a
 * value. The store's batches travel this way because the server and the client both spend less per
 * row on it than on the bound parameters of multi-row {@code INSERT}s (BENCHMARKS.md, step 31).
 */
final class CopyText {

  private final StringBuilder out = new StringBuilder(64 * 1024);
  private boolean firstColumn = true;
  private int rows;

  CopyText text(CharSequence value) {
    separate();
    if (value == null) {
      out.append("\\N");
    } else {
      escape(value);
    }
    return this;
  }

  CopyText date(LocalDate value) {
    // Dates of birth are checked to lie between 1900 and today, so ISO form is what the server
    // reads; an era or a five-digit year never reaches a store.
    return text(value == null ? null : value.toString());
  }

  /** A {@code timestamptz} as ISO-8601 in UTC ({@code 2026-11-23T10:00:00.123Z}). */
  CopyText timestamp(Instant value) {
    return text(value == null ? null : value.toString());
  }

  CopyText bool(boolean value) {
    separate();
    out.append(value ? 't' : 'f');
    return this;
  }

  CopyText number(long value) {
    separate();
    out.append(value);
    return this;
  }

  /** A {@code text[]} literal: every element quoted, so commas, braces and spaces stay text. */
  CopyText textArray(List<? extends CharSequence> values) {
    if (values == null) {
      return text(null);
    }
    StringBuilder literal = new StringBuilder(2 + values.size() * 16).append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        literal.append(',');
      }
      CharSequence v = values.get(i);
      if (v == null) {
        literal.append("NULL");
        continue;
      }
      literal.append('"');
      for (int c = 0; c < v.length(); c++) {
        char ch = v.charAt(c);
        if (ch == '"' || ch == '\\') {
          literal.append('\\');
        }
        literal.append(ch);
      }
      literal.append('"');
    }
    return text(literal.append('}'));
  }

  void endRow() {
    out.append('\n');
    firstColumn = true;
    rows++;
  }

  int rows() {
    return rows;
  }

  /** The rows written since the last {@link #clear()}, as the server reads them. */
  CharSequence content() {
    return out;
  }

  void clear() {
    out.setLength(0);
    firstColumn = true;
    rows = 0;
  }

  private void separate() {
    if (!firstColumn) {
      out.append('\t');
    }
    firstColumn = false;
  }

  private void escape(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
  }
}
