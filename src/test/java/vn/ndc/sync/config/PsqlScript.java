package vn.ndc.sync.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of a shell script that feeds psql a here-document ({@code psql ... <<'SQL'}), as the
 * PostgreSQL image's init scripts in {@code k8s/} do, made runnable over JDBC: psql's variables
 * ({@code :"name"}, {@code :'name'}) substituted, and split into statements, since some (ALTER
 * SYSTEM) refuse to run inside the implicit transaction of a multi-statement query.
 */
public final class PsqlScript {

  private static final Pattern VARIABLE = Pattern.compile(":([\"'])([A-Za-z_][A-Za-z0-9_]*)\\1");

  private PsqlScript() {}

  /**
   * The statements of {@code script}'s here-document, with {@code variables} substituted outside
   * dollar-quoted bodies ({@code DO $$ ... $$}), as psql does.
   */
  public static List<String> statements(String script, Map<String, String> variables) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inDollarQuote = false;
    for (String line : hereDocument(script).split("\n")) {
      int dollars = line.split("\\$\\$", -1).length - 1;
      boolean quotedLine = inDollarQuote || dollars > 0;
      inDollarQuote ^= dollars % 2 == 1;
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(quotedLine ? line : substitute(line, variables)).append('\n');
      if (!inDollarQuote && line.strip().endsWith(";")) {
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (inDollarQuote || !current.toString().isBlank()) {
      throw new IllegalArgumentException("a statement without its end: " + current);
    }
    return statements;
  }

  /** Runs {@code script}'s statements one by one on {@code connection}. */
  public static void run(Connection connection, String script, Map<String, String> variables)
      throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String sql : statements(script, variables)) {
        s.execute(sql);
      }
    }
  }

  private static String substitute(String line, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(line);
    StringBuilder substituted = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(2));
      if (value == null) {
        throw new IllegalArgumentException("no value for psql variable " + m.group(2));
      }
      String quote = m.group(1);
      m.appendReplacement(
          substituted,
          Matcher.quoteReplacement(quote + value.replace(quote, quote + quote) + quote));
    }
    m.appendTail(substituted);
    return substituted.toString();
  }

  private static String hereDocument(String script) {
    int open = script.indexOf("<<'SQL'\n");
    int close = script.indexOf("\nSQL", open);
    if (open < 0 || close < 0) {
      throw new IllegalArgumentException("no <<'SQL' here-document in the script");
    }
    return script.substring(open + "<<'SQL'\n".length(), close + 1);
  }
}
