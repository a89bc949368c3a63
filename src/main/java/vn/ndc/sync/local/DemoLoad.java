package vn.ndc.sync.local;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes N realistic changes in the civil-status register: inserts, updates (moves, new phones,
 * corrected spelling) and deletes, in transactions of up to {@value #TRANSACTION_SIZE} changes.
 */
public final class DemoLoad {

  static final int TRANSACTION_SIZE = 200;

  private final VietnamesePeople people;
  private final Random random;
  private final PrintStream progress;

  public DemoLoad(long seed, PrintStream progress) {
    this.people = new VietnamesePeople(seed);
    this.random = people.random();
    this.progress = progress;
  }

  /** What a load did. */
  public record Result(long inserts, long updates, long deletes) {
    public long changes() {
      return inserts + updates + deletes;
    }
  }

  /** Applies {@code changes} changes through {@code connection}; returns what was done. */
  public Result run(Connection connection, long changes) throws SQLException {
    connection.setAutoCommit(false);
    List<Long> ids = existingIds(connection);
    long inserts = 0;
    long updates = 0;
    long deletes = 0;
    long reportEvery = Math.max(changes / 10, 1000);
    try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO public.nhan_khau (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh, gioi_tinh,"
                    + " dan_toc, quoc_tich, dia_chi_thuong_tru, so_dien_thoai)"
                    + " VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
        PreparedStatement move =
            connection.prepareStatement(
                "UPDATE public.nhan_khau SET dia_chi_thuong_tru = ?, cap_nhat_luc = localtimestamp"
                    + " WHERE id = ?");
        PreparedStatement newPhone =
            connection.prepareStatement(
                "UPDATE public.nhan_khau SET so_dien_thoai = ?, cap_nhat_luc = localtimestamp"
                    + " WHERE id = ?");
        PreparedStatement respell =
            connection.prepareStatement(
                "UPDATE public.nhan_khau SET ho_ten = upper(ho_ten), cap_nhat_luc = localtimestamp"
                    + " WHERE id = ?");
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM public.nhan_khau WHERE id = ?")) {
      for (long done = 0; done < changes; done++) {
        int dice = random.nextInt(100);
        if (ids.size() < 20 || dice < 60) {
          VietnamesePeople.Person p = people.next();
          insert.setString(1, p.personalId());
          insert.setString(2, p.formerId());
          insert.setString(3, p.fullName());
          insert.setString(4, p.dateOfBirth());
          insert.setString(5, p.sex());
          insert.setString(6, p.ethnicity());
          insert.setString(7, p.nationality());
          insert.setString(8, p.address());
          insert.setString(9, p.phone());
          try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            ids.add(rs.getLong(1));
          }
          inserts++;
        } else if (dice < 90) {
          long id = ids.get(random.nextInt(ids.size()));
          PreparedStatement st = dice < 75 ? move : dice < 85 ? newPhone : respell;
          if (st == respell) {
            st.setLong(1, id);
          } else {
            st.setString(1, st == move ? people.address() : people.phone());
            st.setLong(2, id);
          }
          st.executeUpdate();
          updates++;
        } else {
          int index = random.nextInt(ids.size());
          long id = ids.get(index);
          ids.set(index, ids.get(ids.size() - 1));
          ids.remove(ids.size() - 1);
          delete.setLong(1, id);
          delete.executeUpdate();
          deletes++;
        }
        if ((done + 1) % TRANSACTION_SIZE == 0 || done + 1 == changes) {
          connection.commit();
        }
        if ((done + 1) % reportEvery == 0 && done + 1 < changes) {
          progress.printf("load: %d/%d changes committed%n", done + 1, changes);
        }
      }
    }
    connection.commit();
    connection.setAutoCommit(true);
    return new Result(inserts, updates, deletes);
  }

  private static List<Long> existingIds(Connection connection) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM public.nhan_khau")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
