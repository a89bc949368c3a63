package vn.ndc.sync.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.deliver.NdcTables;

/**
 * The canonical content of a person as the store holds it, without lineage and sync columns, and
 * its hash: equal content on both sides of a reconciliation gives equal hashes.
 */
public final class CanonicalContent {

  /** Columns of ndc.person that hold canonical content, in hashing order. */
  public static final List<String> COLUMNS = NdcTables.PERSON_CONTENT_COLUMNS;

  private final String[] values;

  private CanonicalContent(String[] values) {
    this.values = values;
  }

  /** The content of a standardized person, as the store sink would write it. */
  public static CanonicalContent of(Person p) {
    List<String> v = new ArrayList<>(COLUMNS.size());
    v.add(p.getPersonKey());
    v.add(p.getPersonalId());
    v.add(p.getFormerId());
    v.add(p.getFullName());
    v.add(p.getDateOfBirth() == null ? null : p.getDateOfBirth().toString());
    v.add(p.getSex() == null ? null : p.getSex().name());
    v.add(p.getNationality());
    v.add(p.getEthnicity());
    v.add(p.getPhone());
    address(v, p.getPermanentAddress());
    address(v, p.getCurrentAddress());
    return new CanonicalContent(v.toArray(String[]::new));
  }

  private static void address(List<String> v, Address a) {
    v.add(a == null ? null : a.getProvinceCode());
    v.add(a == null ? null : a.getCommuneCode());
    v.add(a == null ? null : a.getStreetLine());
    v.add(a == null ? null : a.getOriginalText());
  }

  /** The content of the current row of a query selecting {@link #COLUMNS} from ndc.person. */
  public static CanonicalContent of(ResultSet rs) throws SQLException {
    String[] v = new String[COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      String column = COLUMNS.get(i);
      if (column.equals("date_of_birth")) {
        LocalDate date = rs.getObject(column, LocalDate.class);
        v[i] = date == null ? null : date.toString();
      } else {
        String s = rs.getString(column);
        // personal_id and former_id are char(n): the store pads, the canonical value does not.
        v[i] = s == null ? null : s.stripTrailing();
      }
    }
    return new CanonicalContent(v);
  }

  /** Values in {@link #COLUMNS} order. */
  public List<String> values() {
    return Arrays.asList(values.clone());
  }

  /**
   * The first 64 bits of a SHA-256 over the values: enough to tell millions of rows apart while
   * keeping a whole table's hashes in memory.
   */
  public long hash() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
    for (String value : values) {
      // A length prefix keeps ("ab", "c") and ("a", "bc") apart; -1 marks null.
      byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(value == null ? -1 : bytes.length).array());
      sha.update(bytes);
    }
    return ByteBuffer.wrap(sha.digest()).getLong();
  }

  /** Names of the columns whose values differ from {@code other}'s. */
  public List<String> differingColumns(CanonicalContent other) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (!java.util.Objects.equals(values[i], other.values[i])) {
        out.add(COLUMNS.get(i));
      }
    }
    return out;
  }
}
