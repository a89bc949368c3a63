package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ndc.sync.config.ConfigException;

class EntityMappingTest {

  static final Path CIVIL_REGISTRY =
      Path.of(System.getProperty("ndc.project.dir", "."), "connectors/civil-registry/mapping.yaml");

  private static final String ORIGIN = "connectors/test/mapping.yaml";

  private static EntityMapping parse(String yaml) {
    return EntityMapping.parse(yaml, "test", ORIGIN);
  }

  private static String withFields(String fields) {
    return "version: 3\nentity: Person\ntable: public.nhan_khau\nfields:\n" + fields;
  }

  @Test
  void loadsTheCivilRegistryMapping() {
    EntityMapping mapping = EntityMapping.load(CIVIL_REGISTRY);

    assertThat(mapping.agency()).isEqualTo("civil-registry");
    assertThat(mapping.entity()).isEqualTo("Person");
    assertThat(mapping.table()).isEqualTo("public.nhan_khau");
    assertThat(mapping.version()).isEqualTo("1");
    assertThat(mapping.zone()).isEqualTo(ZoneId.of("Asia/Ho_Chi_Minh"));
    assertThat(mapping.sourceColumns())
        .containsExactly(
            "so_dinh_danh",
            "so_cmnd",
            "ho_ten",
            "ngay_sinh",
            "gioi_tinh",
            "dan_toc",
            "quoc_tich",
            "so_dien_thoai",
            "dia_chi_thuong_tru");
    assertThat(mapping.required()).containsExactly("personalId", "fullName", "dateOfBirth", "sex");
  }

  @Test
  void checkColumnsAcceptsTheRealTable() {
    EntityMapping mapping = EntityMapping.load(CIVIL_REGISTRY);
    List<String> columns =
        List.of(
            "id",
            "so_dinh_danh",
            "so_cmnd",
            "ho_ten",
            "ngay_sinh",
            "gioi_tinh",
            "dan_toc",
            "quoc_tich",
            "so_dien_thoai",
            "dia_chi_thuong_tru");
    assertThatCode(() -> mapping.checkColumns("public.nhan_khau", columns))
        .doesNotThrowAnyException();
  }

  @Test
  void checkColumnsNamesTheFieldTheColumnAndTheFix() {
    EntityMapping mapping =
        parse(withFields("  fullName: {column: ho_tenn, transform: person-name}\n"));

    assertThatThrownBy(() -> mapping.checkColumns("public.nhan_khau", List.of("id", "ho_ten")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "connectors/test/mapping.yaml: field fullName maps column 'ho_tenn' which table"
                + " public.nhan_khau does not have (its columns: ho_ten, id). Fix the column name"
                + " in the mapping (did you mean 'ho_ten'?).");
  }

  @Test
  void checkColumnsAcceptsAColumnDeclaredAheadWithIfAbsentEmpty() {
    EntityMapping mapping =
        parse(
            withFields(
                "  fullName: {column: ho_ten, transform: person-name}\n"
                    + "  phone: {column: so_dien_thoai_moi, transform: phone, ifAbsent: empty}\n"));
    mapping.checkColumns("public.nhan_khau", List.of("id", "ho_ten"));
    assertThat(mapping.fields().get(1).emptyIfAbsent()).isTrue();
    assertThat(mapping.fields().get(0).emptyIfAbsent()).isFalse();
  }

  @Test
  void versionMayBeText() {
    assertThat(
            parse(
                    withFields("  fullName: {column: ho_ten, transform: text}\n")
                        .replace("version: 3", "version: \"1.10\""))
                .version())
        .isEqualTo("1.10");
  }

  @Test
  void nestedFieldsResolveAgainstTheAddressRecord() {
    EntityMapping mapping =
        parse(withFields("  currentAddress.streetLine: {column: dia_chi, transform: text}\n"));
    assertThat(mapping.fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.field().parent()).isEqualTo("currentAddress");
              assertThat(f.field().child()).isEqualTo("streetLine");
            });
  }

  static Stream<Arguments> badFields() {
    return Stream.of(
        Arguments.of(
            "unknown transform",
            "fullName: {column: ho_ten, transform: name}",
            "fields.fullName: unknown transform 'name'; use one of [address, code, commune-code,"
                + " date, former-id, person-name, personal-id, phone, province, text]"),
        Arguments.of(
            "bad address option",
            "permanentAddress: {column: d, transform: address, unresolved: drop}",
            "fields.permanentAddress: unresolved must be keep (leave the commune code empty) or"
                + " reject, not 'drop'"),
        Arguments.of(
            "unknown default province",
            "permanentAddress: {column: d, transform: address, province: Atlantis}",
            "fields.permanentAddress: province 'Atlantis' is not a province name or code"),
        Arguments.of(
            "address into a text field",
            "permanentAddress.streetLine: {column: d, transform: address}",
            "fields.permanentAddress.streetLine: transform address produces Address but"
                + " permanentAddress.streetLine holds String"),
        Arguments.of(
            "unknown canonical field",
            "fulName: {column: ho_ten, transform: text}",
            "fields.fulName: unknown canonical field; Person has [personKey, personalId, formerId,"
                + " fullName,"),
        Arguments.of(
            "unknown nested field",
            "permanentAddress.street: {column: d, transform: text}",
            "fields.permanentAddress.street: unknown canonical field; Address has [provinceCode,"
                + " communeCode, streetLine, originalText]. Fix the canonical field name."),
        Arguments.of(
            "field set by the pipeline",
            "personKey: {column: k, transform: text}",
            "fields.personKey: personKey is set by the pipeline"),
        Arguments.of(
            "missing column", "fullName: {transform: text}", "fields.fullName.column: missing"),
        Arguments.of(
            "missing transform",
            "fullName: {column: ho_ten}",
            "fields.fullName.transform: missing"),
        Arguments.of(
            "bad date format",
            "dateOfBirth: {column: ngay_sinh, transform: date, formats: [\"dd/MM\"]}",
            "fields.dateOfBirth: date pattern 'dd/MM' must contain a year, month and day"),
        Arguments.of(
            "invalid date pattern",
            "dateOfBirth: {column: ngay_sinh, transform: date, formats: [\"dd/MM/yyyy {\"]}",
            "fields.dateOfBirth: 'dd/MM/yyyy {' is not a valid date pattern"),
        Arguments.of(
            "formats not a list",
            "dateOfBirth: {column: ngay_sinh, transform: date, formats: \"dd/MM/yyyy\"}",
            "fields.dateOfBirth: formats must be a list"),
        Arguments.of(
            "unknown option",
            "dateOfBirth: {column: ngay_sinh, transform: date, format: [\"dd/MM/yyyy\"]}",
            "fields.dateOfBirth: unknown option 'format' for transform date; it accepts [formats,"
                + " timezone]"),
        Arguments.of(
            "option on a transform without options",
            "fullName: {column: ho_ten, transform: text, default: x}",
            "fields.fullName: unknown option 'default' for transform text; it accepts no options"),
        Arguments.of(
            "bad field timezone",
            "dateOfBirth: {column: ngay_sinh, transform: date, timezone: Hanoi}",
            "fields.dateOfBirth: timezone 'Hanoi' is not a time zone id"),
        Arguments.of(
            "code without codes",
            "sex: {column: gioi_tinh, transform: code}",
            "fields.sex: transform code needs codes"),
        Arguments.of(
            "code not an enum symbol",
            "sex: {column: gioi_tinh, transform: code, codes: {Nam: NAM}}",
            "fields.sex: code 'NAM' is not a value of sex; use one of [MALE, FEMALE, UNKNOWN]"),
        Arguments.of(
            "enum without code",
            "sex: {column: gioi_tinh, transform: text}",
            "fields.sex: sex takes one of [MALE, FEMALE, UNKNOWN]; use transform: code"),
        Arguments.of(
            "date into a text field",
            "fullName: {column: ngay_sinh, transform: date}",
            "fields.fullName: transform date produces LocalDate but fullName holds String"),
        Arguments.of(
            "text into a date field",
            "dateOfBirth: {column: ngay_sinh, transform: text}",
            "fields.dateOfBirth: transform text produces String but dateOfBirth holds LocalDate"),
        Arguments.of(
            "unknown ifAbsent",
            "phone: {column: dt, transform: phone, ifAbsent: skip}",
            "fields.phone.ifAbsent: 'skip' is not allowed; use reject"),
        Arguments.of(
            "boolean code",
            "nationality: {column: q, transform: code, codes: {Na Uy: false}}",
            "fields.nationality: codes.Na Uy was read as a boolean; quote the value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFields")
  void rejectsBadFieldsNamingTheKeyAndTheFix(String problem, String field, String message) {
    assertThatThrownBy(() -> parse(withFields("  " + field + "\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(ORIGIN + ": " + message);
  }

  static Stream<Arguments> badDocuments() {
    return Stream.of(
        Arguments.of(
            "unknown entity",
            "version: 1\n"
                + "entity: LandParcel\n"
                + "table: t\n"
                + "fields: {fullName: {column: a, transform: text}}",
            "entity: unknown canonical entity 'LandParcel'; supported: Person, Citizen"),
        Arguments.of(
            "missing version",
            "entity: Person\ntable: t\nfields: {fullName: {column: a, transform: text}}",
            "version: missing"),
        Arguments.of(
            "float version",
            "version: 1.10\n"
                + "entity: Person\n"
                + "table: t\n"
                + "fields: {fullName: {column: a, transform: text}}",
            "version: '1.1' was read as a number; quote it"),
        Arguments.of(
            "missing table",
            "version: 1\nentity: Person\nfields: {fullName: {column: a, transform: text}}",
            "table: missing"),
        Arguments.of(
            "no fields", "version: 1\nentity: Person\ntable: t", "fields: missing or empty"),
        Arguments.of(
            "unknown top-level key",
            "version: 1\nentity: Person\ntable: t\nfield: {}",
            "field: unknown key; known keys are [entity, fields, rules, table, timezone, version]"),
        Arguments.of(
            "bad timezone",
            "version: 1\n"
                + "entity: Person\n"
                + "table: t\n"
                + "timezone: ICT\n"
                + "fields: {fullName: {column: a, transform: text}}",
            "timezone: timezone 'ICT' is not a time zone id"),
        Arguments.of(
            "required not mapped",
            "version: 1\n"
                + "entity: Person\n"
                + "table: t\n"
                + "fields: {fullName: {column: a, transform: text}}\n"
                + "rules: {required: [personalId]}",
            "rules.required: 'personalId' is not a mapped field"),
        Arguments.of(
            "ifAbsent empty on a required field",
            "version: 1\n"
                + "entity: Person\n"
                + "table: t\n"
                + "fields: {fullName: {column: a, transform: text, ifAbsent: empty}}\n"
                + "rules: {required: [fullName]}",
            "fields.fullName.ifAbsent: empty is not allowed on a required field"),
        Arguments.of(
            "unknown rule",
            "version: 1\n"
                + "entity: Person\n"
                + "table: t\n"
                + "fields: {fullName: {column: a, transform: text}}\n"
                + "rules: {unique: [fullName]}",
            "rules.unique: unknown key; known keys are [required]"),
        Arguments.of("not a mapping", "just text", "the file must be a YAML mapping"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDocuments")
  void rejectsBadDocuments(String problem, String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(ORIGIN + ": " + message);
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    String yaml = withFields("  fullName: {column: ho_ten, transform: text\n  sex: x\n");
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(ORIGIN + ": YAML syntax error at line ")
        .hasMessageEndingWith("Fix the YAML syntax there.");
  }

  @Test
  void duplicateFieldIsASyntaxErrorNotASilentOverride() {
    String yaml =
        withFields(
            "  fullName: {column: ho_ten, transform: text}\n"
                + "  fullName: {column: ten, transform: text}\n");
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 6")
        .hasMessageContaining("fullName");
  }

  @Test
  void loadNamesAMissingFile() {
    assertThatThrownBy(() -> EntityMapping.load(Path.of("connectors/nowhere/mapping.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("connectors/nowhere/mapping.yaml: cannot read the mapping file");
  }
}
