package vn.ndc.sync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import vn.ndc.sync.local.LocalPostgres;
import vn.ndc.sync.local.VietnamesePeople;

/** The source table every benchmarked pipeline reads, and the loads written into it. */
final class BenchTable {

  /** Qualified name of the source table (the civil-status register's shape). */
  static final String TABLE = "public.nhan_khau";

  /**
   * The civil-registry demo table plus {@code tao_luc}, the wall-clock time of each insert, which
   * lets a sink that carries no source commit time (the peer) measure latency.
   */
  static final String DDL =
      "CREATE TABLE public.nhan_khau ("
          + " id bigserial PRIMARY KEY,"
          + " so_dinh_danh varchar(12),"
          + " so_cmnd varchar(9),"
          + " ho_ten text NOT NULL,"
          + " ngay_sinh varchar(10),"
          + " gioi_tinh varchar(3),"
          + " dan_toc text,"
          + " quoc_tich text,"
          + " dia_chi_thuong_tru text,"
          + " so_dien_thoai text,"
          + " cap_nhat_luc timestamp NOT NULL DEFAULT localtimestamp,"
          + " tao_luc timestamptz NOT NULL DEFAULT clock_timestamp());"
          + " ALTER TABLE public.nhan_khau REPLICA IDENTITY FULL;";

  private static final String INSERT =
      "INSERT INTO public.nhan_khau (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh, gioi_tinh,"
          + " dan_toc, quoc_tich, dia_chi_thuong_tru, so_dien_thoai) VALUES (?,?,?,?,?,?,?,?,?)";

  private BenchTable() {}

  /**
   * Drops {@code database} (and any replication slot in it) and creates it with the table. Its
   * sessions commit durably, as an agency's production database does: with the embedded server's
   * relaxed {@code synchronous_commit}, a commit reached logical decoding only when the WAL writer
   * next flushed (up to {@code wal_writer_delay}, 200 ms), which every pipeline's latency paid.
   */
  static void recreate(LocalPostgres postgres, String database) throws SQLException {
    drop(postgres, database);
    postgres.createDatabaseIfMissing(database);
    try (Connection c = postgres.connect(database);
        Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE \"" + database + "\" SET synchronous_commit = on");
      st.execute(DDL);
    }
  }

  /** Drops the replication slots of {@code database}, then the database itself. */
  static void drop(LocalPostgres postgres, String database) throws SQLException {
    try (Connection c = postgres.connect("postgres")) {
      for (int attempt = 0; ; attempt++) {
        try (PreparedStatement st =
            c.prepareStatement(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                    + " WHERE database = ? AND active_pid IS NOT NULL")) {
          st.setString(1, database);
          st.execute();
        }
        try (PreparedStatement st =
            c.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE database = ?")) {
          st.setString(1, database);
          st.execute();
          break;
        } catch (SQLException e) {
          if (attempt >= 20) {
            throw e;
          }
          sleep(500);
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
      }
    }
  }

  /**
   * Inserts {@code rows} people, one single-row INSERT each, committing every {@code txRows} rows;
   * returns when the first transaction committed.
   */
  static Instant insert(Connection c, VietnamesePeople people, long rows, int txRows)
      throws SQLException {
    c.setAutoCommit(false);
    Instant firstCommit = null;
    try (PreparedStatement st = c.prepareStatement(INSERT)) {
      long done = 0;
      while (done < rows) {
        long n = Math.min(txRows, rows - done);
        for (long i = 0; i < n; i++) {
          bind(st, people.next());
          st.addBatch();
        }
        st.executeBatch();
        c.commit();
        if (firstCommit == null) {
          firstCommit = Instant.now();
        }
        done += n;
      }
    } finally {
      c.setAutoCommit(true);
    }
    return firstCommit;
  }

  /**
   * Inserts the next {@code count} people of {@code people} as citizens into the population
   * database's {@code public.cong_dan}, in batches committed every {@code txRows} rows.
   */
  static void insertCitizens(Connection c, VietnamesePeople people, long count, int txRows)
      throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO public.cong_dan (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh, gioi_tinh,"
                + " noi_dang_ky_khai_sinh, noi_thuong_tru) VALUES (?,?,?,?,?,?,?)")) {
      long done = 0;
      while (done < count) {
        long n = Math.min(txRows, count - done);
        for (long i = 0; i < n; i++) {
          VietnamesePeople.Person p = people.next();
          st.setString(1, p.personalId());
          st.setString(2, p.formerId());
          st.setString(3, p.fullName());
          st.setDate(4, java.sql.Date.valueOf(VietnamesePeople.birthDate(p)));
          st.setString(5, p.sex());
          st.setString(6, p.personalId().substring(0, 3));
          st.setString(7, p.address());
          st.addBatch();
        }
        st.executeBatch();
        c.commit();
        done += n;
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Offers {@code rows} inserts at {@code perSecond}: every few milliseconds it commits one
   * transaction with the inserts that are due, as a steady stream of small transactions.
   */
  static void paced(Connection c, VietnamesePeople people, long rows, int perSecond)
      throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement st = c.prepareStatement(INSERT)) {
      long start = System.nanoTime();
      long done = 0;
      while (done < rows) {
        long due = Math.min(rows, (System.nanoTime() - start) * perSecond / 1_000_000_000L);
        if (due > done) {
          for (long i = done; i < due; i++) {
            bind(st, people.next());
            st.addBatch();
          }
          st.executeBatch();
          c.commit();
          done = due;
        }
        LockSupport.parkNanos(2_000_000L);
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void bind(PreparedStatement st, VietnamesePeople.Person p) throws SQLException {
    st.setString(1, p.personalId());
    st.setString(2, p.formerId());
    st.setString(3, p.fullName());
    st.setString(4, p.dateOfBirth());
    st.setString(5, p.sex());
    st.setString(6, p.ethnicity());
    st.setString(7, p.nationality());
    st.setString(8, p.address());
    st.setString(9, p.phone());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
