package vn.ndc.sync.local;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Makes N realistic changes in the demo agency databases: inserts, updates (moves, new phones,
 * corrected spelling, renewed cards) and deletes, in transactions of up to {@value
 * #TRANSACTION_SIZE} changes, each agency with its own schema and conventions.
 *
 * <p>The agencies report overlapping people drawn from the population database: an insert reports a
 * citizen another agency already reports (when there is one this agency does not) or a new citizen,
 * whom the load first adds to the population database. Each agency reports them its own way:
 * spelling and Unicode form, the personal ID, only the former ID or no ID at all, its own
 * addresses. About {@value #NOT_IN_POPULATION_PERCENT} % of the inserts are people the population
 * database does not hold, and about {@value #AMBIGUOUS_PERCENT} % of the land-registry inserts are
 * one of two citizens with the same name, date of birth, sex and province, reported without an ID:
 * both kinds go to review. A chosen share of the inserts (none by default) are genuinely invalid
 * (personal ID of the wrong length or disagreeing with the birth year, a date of birth in the
 * future) so the dead-letter path carries real traffic.
 */
public final class DemoLoad {

  static final int TRANSACTION_SIZE = 200;
  static final int NOT_IN_POPULATION_PERCENT = 3;
  static final int AMBIGUOUS_PERCENT = 3;

  /** The population database's folder under connectors/. */
  public static final String POPULATION = "population";

  /** The agencies the load knows how to write to, by connectors/ folder name. */
  public static final List<String> AGENCIES =
      List.of("civil-registry", "health-insurance", "land-registry");

  private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
  private static final DateTimeFormatter DD_MM_YYYY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  private static final DateTimeFormatter DD_MM_YY = DateTimeFormatter.ofPattern("dd/MM/yy");

  private final VietnamesePeople people;
  private final Random random;
  private final PrintStream progress;

  private final int invalidPercent;
  private Population population;

  /** A load whose inserts are invalid on purpose with probability {@code invalidPercent} %. */
  public DemoLoad(long seed, int invalidPercent, PrintStream progress) {
    this.invalidPercent = invalidPercent;
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

  /**
   * What a load did in one agency.
   *
   * @param invalidInserted invalid rows inserted by this load
   * @param invalidLive rows inserted invalid by this load and not deleted since: they stay in the
   *     source but cannot be in the NDC
   * @param unmatchableLive rows of people the population does not hold, or ambiguous without an ID,
   *     inserted by this load and not deleted since: expected in review
   */
  public record AgencyResult(
      Result changes, long invalidInserted, long invalidLive, long unmatchableLive) {}

  /** What went wrong with an invalid row. */
  private enum Defect {
    NONE,
    ID_LENGTH,
    ID_BIRTH_YEAR,
    FUTURE_BIRTH
  }

  /** Applies {@code changes} changes to the civil-status register only. */
  public Result run(Connection civilRegistry, long changes) throws SQLException {
    return run(Map.of("civil-registry", civilRegistry), changes).get("civil-registry").changes();
  }

  /**
   * Applies {@code changes} changes split evenly across {@code sources} (agency → connection to its
   * database; agencies not in {@link #AGENCIES} are ignored), one transaction per agency in turn.
   */
  public Map<String, AgencyResult> run(Map<String, Connection> sources, long changes)
      throws SQLException {
    List<Writer> writers = new ArrayList<>();
    Connection populationDb = sources.get(POPULATION);
    population = populationDb == null ? null : new Population(populationDb);
    for (String agency : AGENCIES) {
      Connection c = sources.get(agency);
      if (c != null) {
        writers.add(writer(agency, c));
      }
    }
    if (writers.isEmpty()) {
      throw new IllegalArgumentException(
          "no demo agency among " + sources.keySet() + "; the load writes to " + AGENCIES);
    }
    long[] quota = new long[writers.size()];
    for (int i = 0; i < quota.length; i++) {
      quota[i] = changes / quota.length + (i < changes % quota.length ? 1 : 0);
    }
    long reportEvery = Math.max(changes / 10, 1000);
    long done = 0;
    long lastReport = 0;
    try {
      if (population != null) {
        population.begin();
      }
      for (Writer w : writers) {
        w.begin();
      }
      boolean more = true;
      while (more) {
        more = false;
        for (int i = 0; i < writers.size(); i++) {
          long batch = Math.min(TRANSACTION_SIZE, quota[i]);
          for (long n = 0; n < batch; n++) {
            writers.get(i).change();
          }
          // Citizens are committed first, as the population database registers people before
          // agencies report them (the pipeline does not rely on it).
          if (population != null) {
            population.connection.commit();
          }
          writers.get(i).connection.commit();
          quota[i] -= batch;
          done += batch;
          more |= quota[i] > 0;
        }
        if (done - lastReport >= reportEvery && done < changes) {
          progress.printf("load: %d/%d changes committed%n", done, changes);
          lastReport = done;
        }
      }
    } finally {
      for (Writer w : writers) {
        w.close();
      }
      if (population != null) {
        population.close();
      }
    }
    Map<String, AgencyResult> out = new LinkedHashMap<>();
    for (Writer w : writers) {
      out.put(
          w.agency,
          new AgencyResult(
              new Result(w.inserts, w.updates, w.deletes),
              w.invalidInserted,
              w.invalid.size(),
              w.unmatchable.size()));
    }
    if (population != null) {
      out.put(POPULATION, new AgencyResult(new Result(population.inserted, 0, 0), 0, 0, 0));
    }
    return out;
  }

  /** Sums the changes of every agency (the population database's are not counted). */
  public static Result total(Map<String, AgencyResult> results) {
    long inserts = 0;
    long updates = 0;
    long deletes = 0;
    for (Map.Entry<String, AgencyResult> e : results.entrySet()) {
      if (e.getKey().equals(POPULATION)) {
        continue;
      }
      AgencyResult r = e.getValue();
      inserts += r.changes().inserts();
      updates += r.changes().updates();
      deletes += r.changes().deletes();
    }
    return new Result(inserts, updates, deletes);
  }

  private Writer writer(String agency, Connection c) throws SQLException {
    return switch (agency) {
      case "civil-registry" -> new CivilRegistry(c);
      case "health-insurance" -> new HealthInsurance(c);
      case "land-registry" -> new LandRegistry(c);
      default -> throw new IllegalArgumentException("no demo writer for " + agency);
    };
  }

  private Defect defect() {
    if (random.nextInt(100) >= invalidPercent) {
      return Defect.NONE;
    }
    return Defect.values()[1 + random.nextInt(Defect.values().length - 1)];
  }

  private static String brokenId(String personalId, Defect defect) {
    return switch (defect) {
      case ID_LENGTH -> personalId.substring(0, 11);
      // Birth-year digits one year off: the record's date of birth no longer agrees.
      case ID_BIRTH_YEAR ->
          personalId.substring(0, 4)
              + String.format("%02d", (Integer.parseInt(personalId.substring(4, 6)) + 1) % 100)
              + personalId.substring(6);
      default -> personalId;
    };
  }

  private LocalDate futureDate() {
    return LocalDate.now(VIETNAM).plusDays(30 + random.nextInt(3000));
  }

  /** One agency's table: how to insert a person and change or delete a row. */
  private abstract class Writer {
    final String agency;
    final Connection connection;
    final List<Long> ids = new ArrayList<>();
    final Set<Long> invalid = new HashSet<>();
    final Set<Long> unmatchable = new HashSet<>();
    final Set<String> reported = new HashSet<>();
    final List<PreparedStatement> statements = new ArrayList<>();
    long inserts;
    long updates;
    long deletes;
    long invalidInserted;
    private PreparedStatement delete;

    Writer(String agency, Connection connection) {
      this.agency = agency;
      this.connection = connection;
    }

    abstract String table();

    abstract String idColumn();

    /** The column holding the personal ID (or, in some agencies, the former ID). */
    abstract String personalIdColumn();

    /** Inserts {@code p} as this agency stores people; returns the new row's id. */
    abstract long insert(VietnamesePeople.Person p, Defect defect) throws SQLException;

    /**
     * Inserts a person without any ID, when this agency stores such rows and can give {@code p} an
     * address in their province; returns the new row's id, or -1.
     */
    long insertWithoutId(VietnamesePeople.Person p) throws SQLException {
      return -1;
    }

    /** One update of row {@code id}; {@code dice} in 0..99 picks the kind. */
    abstract void update(long id, int dice) throws SQLException;

    /**
     * The update mix of the registers that store one address text: half moves (to {@code
     * newAddress}), a third new phones, the rest a respelling of the name.
     */
    void moveRephoneOrRespell(
        long id,
        int dice,
        PreparedStatement move,
        PreparedStatement newPhone,
        PreparedStatement respell,
        String newAddress)
        throws SQLException {
      if (dice < 50) {
        move.setString(1, newAddress);
        move.setLong(2, id);
        move.executeUpdate();
      } else if (dice < 83) {
        newPhone.setString(1, people.phone());
        newPhone.setLong(2, id);
        newPhone.executeUpdate();
      } else {
        respell.setLong(1, id);
        respell.executeUpdate();
      }
    }

    void begin() throws SQLException {
      connection.setAutoCommit(false);
      // A second load on the same databases must not reuse the first one's people: the same
      // seed would otherwise issue the same personal IDs again.
      List<String> taken = new ArrayList<>();
      try (Statement st = connection.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT " + idColumn() + ", " + personalIdColumn() + " FROM " + table())) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
          taken.add(rs.getString(2));
        }
      }
      people.reserve(taken);
      reported.addAll(taken);
      delete = prepare("DELETE FROM " + table() + " WHERE " + idColumn() + " = ?");
    }

    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement st = connection.prepareStatement(sql);
      statements.add(st);
      return st;
    }

    /** An INSERT whose generated id (the table's first column) is read back. */
    PreparedStatement prepareInsert(String sql) throws SQLException {
      PreparedStatement st = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
      statements.add(st);
      return st;
    }

    static long generatedId(PreparedStatement insert) throws SQLException {
      insert.executeUpdate();
      try (ResultSet rs = insert.getGeneratedKeys()) {
        rs.next();
        return rs.getLong(1);
      }
    }

    void change() throws SQLException {
      int dice = random.nextInt(100);
      if (ids.size() < 20 || dice < 60) {
        Defect defect = defect();
        long id = insertSomeone(defect);
        ids.add(id);
        if (defect != Defect.NONE) {
          invalid.add(id);
          invalidInserted++;
        }
        inserts++;
      } else if (dice < 90) {
        update(ids.get(random.nextInt(ids.size())), random.nextInt(100));
        updates++;
      } else {
        int index = random.nextInt(ids.size());
        long id = ids.get(index);
        ids.set(index, ids.get(ids.size() - 1));
        ids.remove(ids.size() - 1);
        invalid.remove(id);
        unmatchable.remove(id);
        delete.setLong(1, id);
        delete.executeUpdate();
        deletes++;
      }
    }

    /**
     * Inserts a citizen another agency reports and this one does not yet, else a new citizen; a few
     * are not in the population, a few ambiguous.
     */
    private long insertSomeone(Defect defect) throws SQLException {
      if (population == null) {
        return insert(people.next(), defect);
      }
      int dice = random.nextInt(100);
      if (defect == Defect.NONE && dice < NOT_IN_POPULATION_PERCENT) {
        long id = insert(people.next(), defect);
        unmatchable.add(id);
        return id;
      }
      if (defect == Defect.NONE && dice < NOT_IN_POPULATION_PERCENT + AMBIGUOUS_PERCENT) {
        VietnamesePeople.Person p = people.next();
        long id = insertWithoutId(p);
        if (id >= 0) {
          VietnamesePeople.Person twin = people.twin(p);
          population.add(p);
          population.add(twin);
          // Neither may be reported here again: without an ID (a quarter of land-registry rows)
          // that row would be ambiguous too, and in review where the load expects a link.
          reported.add(p.personalId());
          reported.add(twin.personalId());
          unmatchable.add(id);
          return id;
        }
      }
      VietnamesePeople.Person p = population.notYetReportedBy(reported);
      if (p == null) {
        p = people.next();
        population.add(p);
      }
      reported.add(p.personalId());
      return insert(p, defect);
    }

    void close() throws SQLException {
      connection.commit();
      connection.setAutoCommit(true);
      for (PreparedStatement st : statements) {
        st.close();
      }
    }
  }

  /** The population database: citizens the agencies' people are drawn from. */
  private final class Population {
    final Connection connection;
    final List<VietnamesePeople.Person> citizens = new ArrayList<>();
    long inserted;
    private PreparedStatement insert;

    Population(Connection connection) {
      this.connection = connection;
    }

    void begin() throws SQLException {
      connection.setAutoCommit(false);
      // Citizens of an earlier load are drawn from too, and their IDs are never issued again.
      try (Statement st = connection.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT so_dinh_danh, so_cmnd, ho_ten, ngay_sinh, gioi_tinh, noi_thuong_tru"
                      + " FROM public.cong_dan")) {
        while (rs.next()) {
          citizens.add(
              new VietnamesePeople.Person(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getDate(4).toLocalDate().format(DD_MM_YYYY),
                  rs.getString(5),
                  "Kinh",
                  "Việt Nam",
                  rs.getString(6),
                  people.phone()));
        }
      }
      people.reserve(citizens.stream().map(VietnamesePeople.Person::personalId).toList());
      insert =
          connection.prepareStatement(
              "INSERT INTO public.cong_dan (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh, gioi_tinh,"
                  + " noi_dang_ky_khai_sinh, noi_thuong_tru) VALUES (?,?,?,?,?,?,?)");
    }

    void add(VietnamesePeople.Person p) throws SQLException {
      insert.setString(1, p.personalId());
      insert.setString(2, p.formerId());
      insert.setString(3, p.fullName());
      insert.setDate(4, Date.valueOf(VietnamesePeople.birthDate(p)));
      insert.setString(5, p.sex());
      insert.setString(6, p.personalId().substring(0, 3));
      insert.setString(7, p.address());
      insert.executeUpdate();
      citizens.add(p);
      inserted++;
    }

    /** A citizen not in {@code reported}, or null (then the caller registers a new one). */
    VietnamesePeople.Person notYetReportedBy(Set<String> reported) {
      if (citizens.isEmpty() || random.nextInt(100) < 40) {
        return null;
      }
      for (int attempt = 0; attempt < 8; attempt++) {
        VietnamesePeople.Person p = citizens.get(random.nextInt(citizens.size()));
        if (!reported.contains(p.personalId())) {
          return p;
        }
      }
      return null;
    }

    void close() throws SQLException {
      connection.commit();
      connection.setAutoCommit(true);
      if (insert != null) {
        insert.close();
      }
    }
  }

  /** PostgreSQL, Vietnamese NFC text, dates as dd/MM/yyyy text, sex as Nam/Nữ. */
  private final class CivilRegistry extends Writer {
    private PreparedStatement insert;
    private PreparedStatement move;
    private PreparedStatement newPhone;
    private PreparedStatement respell;

    CivilRegistry(Connection c) {
      super("civil-registry", c);
    }

    @Override
    String table() {
      return "public.nhan_khau";
    }

    @Override
    String idColumn() {
      return "id";
    }

    @Override
    String personalIdColumn() {
      return "so_dinh_danh";
    }

    @Override
    void begin() throws SQLException {
      super.begin();
      insert =
          prepareInsert(
              "INSERT INTO public.nhan_khau (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh, gioi_tinh,"
                  + " dan_toc, quoc_tich, dia_chi_thuong_tru, so_dien_thoai)"
                  + " VALUES (?,?,?,?,?,?,?,?,?)");
      move =
          prepare(
              "UPDATE public.nhan_khau SET dia_chi_thuong_tru = ?, cap_nhat_luc = localtimestamp"
                  + " WHERE id = ?");
      newPhone =
          prepare(
              "UPDATE public.nhan_khau SET so_dien_thoai = ?, cap_nhat_luc = localtimestamp"
                  + " WHERE id = ?");
      respell =
          prepare(
              "UPDATE public.nhan_khau SET ho_ten = upper(ho_ten), cap_nhat_luc = localtimestamp"
                  + " WHERE id = ?");
    }

    @Override
    long insert(VietnamesePeople.Person p, Defect defect) throws SQLException {
      insert.setString(1, brokenId(p.personalId(), defect));
      insert.setString(2, random.nextBoolean() ? p.formerId() : null);
      // Clerks type names in lower case or with doubled spaces; the mapping normalizes them.
      int spelling = random.nextInt(10);
      insert.setString(
          3,
          spelling == 0
              ? p.fullName().toLowerCase(java.util.Locale.ROOT)
              : spelling == 1 ? p.fullName().replace(" ", "  ") : p.fullName());
      insert.setString(
          4, defect == Defect.FUTURE_BIRTH ? futureDate().format(DD_MM_YYYY) : p.dateOfBirth());
      insert.setString(5, p.sex());
      insert.setString(6, p.ethnicity());
      insert.setString(7, p.nationality());
      insert.setString(8, random.nextInt(10) < 7 ? p.address() : people.address());
      insert.setString(9, p.phone());
      return generatedId(insert);
    }

    @Override
    void update(long id, int dice) throws SQLException {
      moveRephoneOrRespell(id, dice, move, newPhone, respell, people.address());
    }
  }

  /**
   * MariaDB, names in upper case without diacritics, DATE columns, sex 1/0, CCCD or CMND in one
   * column, phones with +84.
   */
  private final class HealthInsurance extends Writer {
    private PreparedStatement insert;
    private PreparedStatement move;
    private PreparedStatement newPhone;
    private PreparedStatement renew;

    HealthInsurance(Connection c) {
      super("health-insurance", c);
    }

    @Override
    String table() {
      return "the_bhyt";
    }

    @Override
    String idColumn() {
      return "id";
    }

    @Override
    String personalIdColumn() {
      return "so_giay_to";
    }

    @Override
    void begin() throws SQLException {
      super.begin();
      insert =
          prepareInsert(
              "INSERT INTO the_bhyt (ma_the, ho_ten, ngay_sinh, gioi_tinh, so_giay_to, dia_chi,"
                  + " so_dien_thoai, noi_dang_ky_kcb, han_the_den) VALUES (?,?,?,?,?,?,?,?,?)");
      // MariaDB logs no row event for an update that changes nothing (a move to the address the
      // row already has): the update time always moves on, so every counted change is captured.
      String touch =
          ", cap_nhat_luc = GREATEST(CURRENT_TIMESTAMP(3), cap_nhat_luc + INTERVAL 1000 MICROSECOND)";
      move = prepare("UPDATE the_bhyt SET dia_chi = ?" + touch + " WHERE id = ?");
      newPhone = prepare("UPDATE the_bhyt SET so_dien_thoai = ?" + touch + " WHERE id = ?");
      renew =
          prepare(
              "UPDATE the_bhyt SET han_the_den = DATE_ADD(han_the_den, INTERVAL 1 YEAR) WHERE id"
                  + " = ?");
    }

    @Override
    long insert(VietnamesePeople.Person p, Defect defect) throws SQLException {
      String province = p.personalId().substring(1, 3);
      // Holders who never exchanged their old identity card are known by the CMND alone.
      boolean cmndOnly = p.formerId() != null && defect == Defect.NONE && random.nextInt(10) < 4;
      insert.setString(
          1,
          pick(List.of("GD", "HT", "DN", "HS", "TE"))
              + (1 + random.nextInt(5))
              + province
              + String.format("%010d", random.nextLong(10_000_000_000L)));
      insert.setString(2, VietnamesePeople.upperAscii(p.fullName()));
      LocalDate born = defect == Defect.FUTURE_BIRTH ? futureDate() : VietnamesePeople.birthDate(p);
      insert.setDate(3, Date.valueOf(born));
      insert.setInt(4, "Nam".equals(p.sex()) ? 1 : 0);
      insert.setString(5, cmndOnly ? p.formerId() : brokenId(p.personalId(), defect));
      insert.setString(6, random.nextInt(10) < 6 ? p.address() : people.address());
      insert.setString(7, VietnamesePeople.e164(p.phone()));
      insert.setString(8, province + String.format("%03d", random.nextInt(200)));
      insert.setDate(9, Date.valueOf(LocalDate.now(VIETNAM).plusMonths(1 + random.nextInt(12))));
      return generatedId(insert);
    }

    @Override
    void update(long id, int dice) throws SQLException {
      if (dice < 40) {
        move.setString(1, people.address());
        move.setLong(2, id);
        move.executeUpdate();
      } else if (dice < 70) {
        newPhone.setString(1, VietnamesePeople.e164(people.phone()));
        newPhone.setLong(2, id);
        newPhone.executeUpdate();
      } else {
        renew.setLong(1, id);
        renew.executeUpdate();
      }
    }
  }

  /**
   * PostgreSQL, pre-2025 addresses, birth dates as dd/MM/yy text or epoch milliseconds, names in
   * Unicode NFD.
   */
  private final class LandRegistry extends Writer {
    private PreparedStatement insert;
    private PreparedStatement move;
    private PreparedStatement newPhone;
    private PreparedStatement respell;

    LandRegistry(Connection c) {
      super("land-registry", c);
    }

    @Override
    String table() {
      return "public.chu_su_dung";
    }

    @Override
    String idColumn() {
      return "ma_chu";
    }

    @Override
    String personalIdColumn() {
      return "so_cccd";
    }

    @Override
    void begin() throws SQLException {
      super.begin();
      insert =
          prepareInsert(
              "INSERT INTO public.chu_su_dung (so_giay_chung_nhan, ho_va_ten, so_cccd, so_cmnd,"
                  + " ngay_sinh, gioi_tinh, dia_chi_thuong_tru, ma_tinh_cu, dien_thoai)"
                  + " VALUES (?,?,?,?,?,?,?,?,?)");
      move =
          prepare(
              "UPDATE public.chu_su_dung SET dia_chi_thuong_tru = ?, cap_nhat_luc ="
                  + " localtimestamp WHERE ma_chu = ?");
      newPhone =
          prepare(
              "UPDATE public.chu_su_dung SET dien_thoai = ?, cap_nhat_luc = localtimestamp"
                  + " WHERE ma_chu = ?");
      respell =
          prepare(
              "UPDATE public.chu_su_dung SET ho_va_ten = upper(ho_va_ten), cap_nhat_luc ="
                  + " localtimestamp WHERE ma_chu = ?");
    }

    private final Map<Long, String> provinceOfRow = new java.util.HashMap<>();

    @Override
    long insert(VietnamesePeople.Person p, Defect defect) throws SQLException {
      int dice = random.nextInt(100);
      if (defect == Defect.NONE && dice < 25) {
        long id = insertWithoutId(p);
        if (id >= 0) {
          return id;
        }
      }
      // Holders registered before the CCCD keep only their old card number.
      boolean cmndOnly = defect == Defect.NONE && p.formerId() != null && dice < 50;
      return insert(p, defect, cmndOnly ? null : brokenId(p.personalId(), defect), p.formerId());
    }

    @Override
    long insertWithoutId(VietnamesePeople.Person p) throws SQLException {
      if (people.pre2025AddressIn(p.personalId().substring(0, 3)).isEmpty()) {
        return -1;
      }
      return insert(p, Defect.NONE, null, null);
    }

    private long insert(
        VietnamesePeople.Person p, Defect defect, String personalId, String formerId)
        throws SQLException {
      LocalDate born = VietnamesePeople.birthDate(p);
      String province = p.personalId().substring(0, 3);
      insert.setString(
          1,
          pick(List.of("AA", "BĐ", "CH", "CS", "DA"))
              + " "
              + String.format("%06d", random.nextInt(1_000_000)));
      insert.setString(2, Normalizer.normalize(p.fullName(), Normalizer.Form.NFD));
      insert.setString(3, personalId);
      insert.setString(4, formerId);
      insert.setString(5, defect == Defect.FUTURE_BIRTH ? epochMillis(futureDate()) : birth(born));
      insert.setString(6, p.sex());
      // A holder without an ID is found by name, birth date, sex and the land's province: the
      // demo's land lies in the holder's province then.
      insert.setString(
          7,
          personalId == null && formerId == null
              ? people.pre2025AddressIn(province).orElseThrow()
              : people.pre2025Address());
      insert.setString(8, p.personalId().substring(1, 3));
      insert.setString(9, p.phone());
      long id = generatedId(insert);
      provinceOfRow.put(id, province);
      return id;
    }

    // An older system exported epoch milliseconds; dates within a day of 1970 would read as days.
    private String birth(LocalDate born) {
      long millis = born.atStartOfDay(VIETNAM).toInstant().toEpochMilli();
      return random.nextInt(3) == 0 && Math.abs(millis) >= 100_000_000
          ? Long.toString(millis)
          : born.format(DD_MM_YY);
    }

    private String epochMillis(LocalDate date) {
      return Long.toString(date.atStartOfDay(VIETNAM).toInstant().toEpochMilli());
    }

    @Override
    void update(long id, int dice) throws SQLException {
      // A move stays in the province (land does not move): rows without an ID stay matchable.
      String province = provinceOfRow.get(id);
      String address =
          province == null
              ? people.pre2025Address()
              : people.pre2025AddressIn(province).orElseGet(people::pre2025Address);
      moveRephoneOrRespell(id, dice, move, newPhone, respell, address);
    }
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
