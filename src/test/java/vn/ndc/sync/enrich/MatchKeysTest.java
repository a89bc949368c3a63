package vn.ndc.sync.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ndc.sync.enrich.TestRecords.citizen;
import static vn.ndc.sync.enrich.TestRecords.person;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Sex;

/**
 * Demographic keys ignore diacritics, case, spacing and Unicode form; provinces become 2025 ones.
 */
class MatchKeysTest {

  @Test
  void nameVariantsOfOnePersonShareTheKey() {
    String nfd = Normalizer.normalize("Đặng Thị Hương", Normalizer.Form.NFD);
    String a =
        MatchKeys.of(
            person("a")
                .name("Đặng Thị Hương")
                .born("1990-03-15")
                .sex(Sex.FEMALE)
                .livesIn("01")
                .build());
    String b =
        MatchKeys.of(
            person("b")
                .name("  dang  THI huong ")
                .born("1990-03-15")
                .sex(Sex.FEMALE)
                .livesIn("01")
                .build());
    String c =
        MatchKeys.of(
            person("c").name(nfd).born("1990-03-15").sex(Sex.FEMALE).livesIn("01").build());

    assertThat(a).isEqualTo("dang thi huong|1990-03-15|FEMALE|01").isEqualTo(b).isEqualTo(c);
  }

  @Test
  void aRecordMissingMatchDataHasNoKeyButAStepKeyOfItsOwn() {
    var record =
        person("a").personalId("001090123456").name("An").born("1990-03-15").livesIn("01").build();

    assertThat(MatchKeys.of(record)).isNull();
    assertThat(MatchKeys.demographicStepKey(record)).isEqualTo("?a|person|001090123456");
  }

  @Test
  void aCitizenIsFiledUnderItsBirthAndItsAddressProvince() {
    var citizen =
        citizen("002090123456")
            .name("Lò Văn Páo")
            .born("1990-01-02")
            .sex(Sex.MALE)
            .birthProvince("002")
            .livesIn("01")
            .build();

    assertThat(MatchKeys.of(citizen))
        .containsExactly("lo van pao|1990-01-02|MALE|08", "lo van pao|1990-01-02|MALE|01");
  }

  @Test
  void preAndPost2025ProvinceCodesMapToThe2025Province() {
    assertThat(MatchKeys.province2025("001")).isEqualTo("01");
    assertThat(MatchKeys.province2025("079")).isEqualTo("79");
    assertThat(MatchKeys.province2025("074")).isEqualTo("79"); // Bình Dương
    assertThat(MatchKeys.province2025("080")).isEqualTo("80"); // Long An, now Tây Ninh's code
    assertThat(MatchKeys.province2025("79")).isEqualTo("79");
    assertThat(MatchKeys.province2025("999")).isNull();
    assertThat(MatchKeys.province2025(null)).isNull();
  }
}
