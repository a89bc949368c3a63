package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.text.Normalizer;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.deliver.NdcTables;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.local.VietnamesePeople;

/**
 * Dedup and enrich on real components: three agencies report the same 1,000 people, each its own
 * way (spelling, NFD text, upper-case ASCII, the personal ID, only the former ID or no ID, other
 * addresses). The result is exactly one NDC person per person, under the right personal ID; the
 * people the population database gains afterwards are resolved from review; records that match two
 * citizens stay in review.
 */
class EnrichIT {

  // Random so that the people differ from those of the other tests on the shared pipeline; in the
  // failure messages so that a failing run can be repeated.
  private static final long SEED = new Random().nextLong();
  private static final int PEOPLE = 1000;
  private static final int LATE = 50;
  private static final int AMBIGUOUS = 10;
  private static final DateTimeFormatter DD_MM_YY = DateTimeFormatter.ofPattern("dd/MM/yy");

  private final LocalPipeline pipeline = SharedTestStack.pipeline();
  private final Random random = new Random(4242);
  private final VietnamesePeople people = new VietnamesePeople(SEED);

  /** Expected personal ID of each agency record, by agency and person key. */
  private final Map<String, String> expected = new HashMap<>();

  private final List<String> ambiguousRecords = new ArrayList<>();

  @Test
  void threeAgenciesReportingTheSamePeopleMakeOneNdcPersonEach() throws Exception {
    List<VietnamesePeople.Person> all = new ArrayList<>();
    List<VietnamesePeople.Person> twins = new ArrayList<>();
    while (all.size() < PEOPLE) {
      VietnamesePeople.Person p = people.next();
      // The ambiguous ones are found by province: the land registry's demo places cover it.
      if (twins.size() < AMBIGUOUS && people.pre2025AddressIn(province(p)).isPresent()) {
        twins.add(people.twin(p));
        ambiguousRecords.add(p.personalId());
      }
      all.add(p);
    }
    List<VietnamesePeople.Person> known = all.subList(0, PEOPLE - LATE);
    List<VietnamesePeople.Person> late = all.subList(PEOPLE - LATE, PEOPLE);
    addCitizens(known);
    addCitizens(twins);
    report(all);

    // Everyone but the late ones is linked; the late ones and the ambiguous wait in review.
    int unlinkedBefore = 3 * LATE + AMBIGUOUS;
    awaitLinks(PEOPLE - LATE, unlinkedBefore);

    addCitizens(late);
    awaitLinks(PEOPLE, AMBIGUOUS);

    Map<String, String> links = links();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String personalId = e.getValue();
      boolean ambiguous =
          e.getKey().startsWith("land-registry|row:") && ambiguousRecords.contains(personalId);
      assertThat(links.get(e.getKey()))
          .as("citizen linked to %s (seed %d)", e.getKey(), SEED)
          .isEqualTo(ambiguous ? "" : personalId);
    }
    Map<String, String> sources = ndcSources();
    assertThat(sources).as("NDC persons (seed %d)", SEED).hasSize(PEOPLE);
    for (VietnamesePeople.Person p : all) {
      boolean ambiguous = ambiguousRecords.contains(p.personalId());
      assertThat(sources.get(p.personalId()))
          .as("sources of %s (seed %d)", p.personalId(), SEED)
          .isEqualTo(
              ambiguous
                  ? "{civil-registry,health-insurance}"
                  : "{civil-registry,health-insurance,land-registry}");
    }
  }

  private static String province(VietnamesePeople.Person p) {
    return p.personalId().substring(0, 3);
  }

  private void addCitizens(List<VietnamesePeople.Person> citizens) throws Exception {
    try (Connection c = pipeline.postgres().connect(LocalPipeline.POPULATION_DATABASE);
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO public.cong_dan (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh,"
                    + " gioi_tinh, noi_dang_ky_khai_sinh, noi_thuong_tru) VALUES (?,?,?,?,?,?,?)")) {
      for (VietnamesePeople.Person p : citizens) {
        st.setString(1, p.personalId());
        st.setString(2, p.formerId());
        st.setString(3, p.fullName());
        st.setDate(4, Date.valueOf(VietnamesePeople.birthDate(p)));
        st.setString(5, p.sex());
        st.setString(6, province(p));
        st.setString(7, p.address());
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  /** Each agency inserts every person, with its conventions and a variation. */
  private void report(List<VietnamesePeople.Person> all) throws Exception {
    try (Connection civil = pipeline.postgres().connect("civil_registry");
        PreparedStatement st =
            civil.prepareStatement(
                "INSERT INTO public.nhan_khau (so_dinh_danh, so_cmnd, ho_ten, ngay_sinh,"
                    + " gioi_tinh, dan_toc, quoc_tich, dia_chi_thuong_tru, so_dien_thoai)"
                    + " VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (VietnamesePeople.Person p : all) {
        st.setString(1, p.personalId());
        st.setString(2, random.nextBoolean() ? p.formerId() : null);
        st.setString(
            3,
            random.nextBoolean()
                ? p.fullName().toLowerCase(Locale.ROOT).replace(" ", "  ")
                : p.fullName());
        st.setString(4, p.dateOfBirth());
        st.setString(5, p.sex());
        st.setString(6, p.ethnicity());
        st.setString(7, p.nationality());
        st.setString(8, random.nextBoolean() ? p.address() : people.address());
        st.setString(9, p.phone());
        st.addBatch();
        expected.put("civil-registry|" + p.personalId(), p.personalId());
      }
      st.executeBatch();
    }
    try (Connection health = pipeline.mariaDb().connect("health_insurance");
        PreparedStatement st =
            health.prepareStatement(
                "INSERT INTO the_bhyt (ma_the, ho_ten, ngay_sinh, gioi_tinh, so_giay_to, dia_chi,"
                    + " so_dien_thoai) VALUES (?,?,?,?,?,?,?)")) {
      for (VietnamesePeople.Person p : all) {
        // Holders who never exchanged their old card are known by the CMND alone.
        boolean cmnd = p.formerId() != null && random.nextBoolean();
        st.setString(1, "GD4" + province(p).substring(1) + "0000000001");
        st.setString(2, VietnamesePeople.upperAscii(p.fullName()));
        st.setDate(3, Date.valueOf(VietnamesePeople.birthDate(p)));
        st.setInt(4, "Nam".equals(p.sex()) ? 1 : 0);
        st.setString(5, cmnd ? p.formerId() : p.personalId());
        st.setString(6, random.nextBoolean() ? p.address() : people.address());
        st.setString(7, VietnamesePeople.e164(p.phone()));
        st.addBatch();
        expected.put(
            "health-insurance|" + (cmnd ? "cmnd:" + p.formerId() : p.personalId()), p.personalId());
      }
      st.executeBatch();
    }
    try (Connection land = pipeline.postgres().connect("land_registry");
        PreparedStatement st =
            land.prepareStatement(
                "INSERT INTO public.chu_su_dung (so_giay_chung_nhan, ho_va_ten, so_cccd,"
                    + " so_cmnd, ngay_sinh, gioi_tinh, dia_chi_thuong_tru, ma_tinh_cu)"
                    + " VALUES (?,?,?,?,?,?,?,?) RETURNING ma_chu")) {
      for (VietnamesePeople.Person p : all) {
        // A third carry no ID (found by name, birth date, sex and the land's province) where
        // the demo knows land in their province, a few only the former ID, the rest the CCCD.
        int dice = random.nextInt(3);
        String ownProvince = people.pre2025AddressIn(province(p)).orElse(null);
        boolean noId =
            ambiguousRecords.contains(p.personalId()) || (dice == 0 && ownProvince != null);
        boolean cmndOnly = !noId && dice == 1 && p.formerId() != null;
        st.setString(1, "CS " + (100000 + random.nextInt(900000)));
        st.setString(2, Normalizer.normalize(p.fullName(), Normalizer.Form.NFD));
        st.setString(3, noId || cmndOnly ? null : p.personalId());
        st.setString(4, noId ? null : p.formerId());
        st.setString(5, VietnamesePeople.birthDate(p).format(DD_MM_YY));
        st.setString(6, p.sex());
        st.setString(7, noId ? ownProvince : people.pre2025Address());
        st.setString(8, province(p).substring(1));
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          String key =
              noId ? "row:" + rs.getLong(1) : cmndOnly ? "cmnd:" + p.formerId() : p.personalId();
          expected.put("land-registry|" + key, p.personalId());
        }
      }
    }
  }

  /** Linked personal ID ("" when in review) of every expected agency record present. */
  private Map<String, String> links() throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE);
        Statement st = ndc.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT source_agency, person_key, coalesce(resolved_personal_id, '') FROM "
                    + NdcTables.PERSON_SOURCE
                    + " WHERE NOT deleted")) {
      while (rs.next()) {
        String key = rs.getString(1) + "|" + rs.getString(2);
        if (expected.containsKey(key)) {
          out.put(key, rs.getString(3).strip());
        }
      }
    }
    return out;
  }

  /** Sources of the live NDC persons of this test's people, by personal ID. */
  private Map<String, String> ndcSources() throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE);
        PreparedStatement st =
            ndc.prepareStatement(
                "SELECT person_key, sources FROM "
                    + NdcTables.PERSON
                    + " WHERE NOT deleted AND person_key = ANY (?)")) {
      st.setArray(1, ndc.createArrayOf("text", expected.values().stream().distinct().toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          // Survivorship order is source priority: civil-registry, health-insurance, land.
          out.put(rs.getString(1), rs.getArray(2).toString());
        }
      }
    }
    return out;
  }

  /**
   * Waits until every agency record is in the NDC, {@code persons} NDC persons exist for this
   * test's people, and {@code unlinked} records wait in review.
   */
  private void awaitLinks(int persons, int unlinked) throws Exception {
    long deadline = System.currentTimeMillis() + 240_000;
    String seen = "";
    while (System.currentTimeMillis() < deadline) {
      Map<String, String> links = links();
      long waiting = links.values().stream().filter(String::isEmpty).count();
      int ndcPersons = ndcSources().size();
      seen = "records " + links.size() + ", unlinked " + waiting + ", NDC persons " + ndcPersons;
      if (links.size() == expected.size() && waiting == unlinked && ndcPersons == persons) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "seed "
            + SEED
            + ": expected "
            + expected.size()
            + " records, "
            + unlinked
            + " unlinked, "
            + persons
            + " NDC persons; last seen: "
            + seen);
  }
}
