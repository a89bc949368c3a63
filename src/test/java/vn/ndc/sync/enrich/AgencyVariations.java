package vn.ndc.sync.enrich;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.local.VietnamesePeople;
import vn.ndc.sync.standardize.VietnameseText;

/**
 * Test data: people of the population data and how three agencies report each of them, with the
 * outcome every record should have.
 *
 * <p>civil-registry always holds the personal ID (it is required there), sometimes in NFD.
 * health-insurance holds the former ID when there is one, else sometimes the personal ID with a
 * newer address in another province, else no ID and the name in capitals without diacritics.
 * land-registry holds the personal ID with another address every other person, else no ID and the
 * name decomposed (NFD) with doubled spaces. Some people have a "twin" in the population (another
 * citizen with the same name, date of birth, sex and province): their records without ID are
 * genuinely ambiguous.
 */
final class AgencyVariations {

  static final String CIVIL = "civil-registry";
  static final String HEALTH = "health-insurance";
  static final String LAND = "land-registry";
  private static final List<String> PROVINCES = List.of("01", "79", "31", "48", "92", "46", "40");
  private static final DateTimeFormatter DD_MM_YYYY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  /** One person: the citizen, the agencies' records, and what should become of them. */
  record Case(
      Citizen citizen,
      Citizen twin,
      List<Person> records,
      Set<String> resolvingAgencies,
      List<Person> ambiguousRecords) {}

  private final List<Case> cases = new ArrayList<>();

  AgencyVariations(int people, int twins, long seed) {
    VietnamesePeople generator = new VietnamesePeople(seed);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < people; i++) {
      VietnamesePeople.Person p = generator.next();
      ids.add(p.personalId());
      cases.add(variations(i, p, i < twins, ids));
    }
  }

  List<Case> cases() {
    return cases;
  }

  private static Case variations(
      int i, VietnamesePeople.Person p, boolean hasTwin, Set<String> ids) {
    LocalDate born = LocalDate.parse(p.dateOfBirth(), DD_MM_YYYY);
    Sex sex = p.sex().equals("Nam") ? Sex.MALE : Sex.FEMALE;
    String province = MatchKeys.province2025(p.personalId().substring(0, 3));
    String moved = PROVINCES.get((PROVINCES.indexOf(province) + 1 + i) % PROVINCES.size());
    if (moved.equals(province)) {
      moved = province.equals("01") ? "79" : "01";
    }
    String formerId = hasTwin ? null : p.formerId();
    Citizen citizen =
        TestRecords.citizen(p.personalId())
            .formerId(formerId)
            .name(p.fullName())
            .born(born.toString())
            .sex(sex)
            .birthProvince(p.personalId().substring(0, 3))
            .livesIn(province)
            .version(10_000 + i)
            .build();
    Citizen twin = null;
    if (hasTwin) {
      String twinId = p.personalId().substring(0, 6) + String.format("%06d", 999_999 - i);
      while (!ids.add(twinId)) {
        twinId =
            p.personalId().substring(0, 6)
                + String.format("%06d", (Integer.parseInt(twinId.substring(6)) + 7) % 1_000_000);
      }
      twin =
          TestRecords.citizen(twinId)
              .name(p.fullName())
              .born(born.toString())
              .sex(sex)
              .birthProvince(p.personalId().substring(0, 3))
              .livesIn(province)
              .version(20_000 + i)
              .build();
    }

    List<Person> records = new ArrayList<>();
    Set<String> resolving = new LinkedHashSet<>();
    List<Person> ambiguous = new ArrayList<>();

    String civilName = i % 10 == 0 ? nfd(p.fullName()) : p.fullName();
    records.add(
        TestRecords.person(CIVIL)
            .personalId(p.personalId())
            .name(civilName)
            .born(born.toString())
            .sex(sex)
            .livesIn(province)
            .phone("+8490" + String.format("%07d", i))
            .sourceKey("cr-" + i)
            .version(1 + i)
            .build());
    resolving.add(CIVIL);

    TestRecords.PersonBuilder health =
        TestRecords.person(HEALTH)
            .name(capitalsWithoutMarks(p.fullName()))
            .born(born.toString())
            .sex(sex)
            .sourceKey("bh-" + i)
            .version(1 + i);
    if (formerId != null) {
      health.formerId(formerId).livesIn(province);
    } else if (i % 3 == 0 && !hasTwin) {
      health.personalId(p.personalId()).livesIn(moved);
    } else {
      health.livesIn(province);
    }
    Person healthRecord = health.build();
    records.add(healthRecord);
    if (hasTwin) {
      ambiguous.add(healthRecord);
    } else {
      resolving.add(HEALTH);
    }

    TestRecords.PersonBuilder land =
        TestRecords.person(LAND).born(born.toString()).sex(sex).sourceKey("dd-" + i).version(1 + i);
    if (i % 2 == 0) {
      land.personalId(p.personalId()).name(p.fullName()).livesIn(moved);
    } else {
      land.name(nfd(p.fullName()).replace(" ", "  ")).livesIn(province);
    }
    Person landRecord = land.build();
    records.add(landRecord);
    if (hasTwin && i % 2 != 0) {
      ambiguous.add(landRecord);
    } else {
      resolving.add(LAND);
    }
    return new Case(citizen, twin, records, resolving, ambiguous);
  }

  private static String nfd(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD);
  }

  private static String capitalsWithoutMarks(String name) {
    return VietnameseText.fold(name).toUpperCase(Locale.ROOT);
  }
}
