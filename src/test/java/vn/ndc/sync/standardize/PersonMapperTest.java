package vn.ndc.sync.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.avro.SourceChange;

class PersonMapperTest {

  // 2026-06-30 18:00 UTC is already 1 July in Vietnam.
  static final Clock NOW = Clock.fixed(Instant.parse("2026-06-30T18:00:00Z"), ZoneOffset.UTC);
  static final Instant COMMITTED = Instant.parse("2026-06-01T03:00:00Z");
  static final Instant INGESTED = Instant.parse("2026-06-01T03:00:01.250Z");

  private final EntityMapping mapping = EntityMapping.load(EntityMappingTest.CIVIL_REGISTRY);
  private final PersonMapper mapper = new PersonMapper(mapping, NOW);

  static Map<String, String> validRow() {
    Map<String, String> row = new HashMap<>();
    row.put("id", "42");
    row.put("so_dinh_danh", "001090012345");
    row.put("so_cmnd", null);
    row.put("ho_ten", "  NGUYỄN   văn  an ");
    row.put("ngay_sinh", "17/05/1990");
    row.put("gioi_tinh", "Nam");
    row.put("dan_toc", "Kinh");
    row.put("quoc_tich", null);
    row.put("so_dien_thoai", "0912 345 678");
    row.put("dia_chi_thuong_tru", "Số 12, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội");
    return row;
  }

  static SourceChange change(String operation, Map<String, String> row) {
    return SourceChange.newBuilder()
        .setAgency("civil-registry")
        .setDatabase("tuphap")
        .setTable("public.nhan_khau")
        .setOperation(operation)
        .setPosition("lsn=0/16B3748")
        .setVersion(23803720L)
        .setCommitTime(COMMITTED)
        .setIngestTime(INGESTED)
        .setRow(row)
        .setRawTopic("raw.civil-registry.public.nhan_khau")
        .setRawPartition(0)
        .setRawOffset(7L)
        .build();
  }

  private MappingResult map(Map<String, String> row) {
    return mapper.map(change("c", row));
  }

  private static Person mapped(MappingResult result) {
    assertThat(result).isInstanceOf(MappingResult.Mapped.class);
    return ((MappingResult.Mapped) result).person();
  }

  @Test
  void mapsASourceChangeToACanonicalPerson() {
    Person person = mapped(map(validRow()));

    assertThat(person.getPersonKey()).isEqualTo("001090012345");
    assertThat(person.getPersonalId()).isEqualTo("001090012345");
    assertThat(person.getFormerId()).isNull();
    assertThat(person.getFullName()).isEqualTo("Nguyễn Văn An");
    assertThat(person.getDateOfBirth()).isEqualTo(LocalDate.of(1990, 5, 17));
    assertThat(person.getSex()).isEqualTo(Sex.MALE);
    assertThat(person.getEthnicity()).isEqualTo("Kinh");
    assertThat(person.getNationality()).isEqualTo("VN");
    assertThat(person.getPhone()).isEqualTo("+84912345678");
    assertThat(person.getPermanentAddress())
        .isEqualTo(
            new Address(
                "01",
                "00070",
                "Số 12, phố Hàng Bạc",
                "Số 12, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"));
    assertThat(person.getCurrentAddress()).isNull();
    assertThat(person.getDeleted()).isFalse();
  }

  @Test
  void lineageComesFromTheChangeAndTheMappingVersion() {
    Lineage lineage = mapped(map(validRow())).getLineage();

    assertThat(lineage.getSourceAgency()).isEqualTo("civil-registry");
    assertThat(lineage.getSourceDatabase()).isEqualTo("tuphap");
    assertThat(lineage.getSourceTable()).isEqualTo("public.nhan_khau");
    assertThat(lineage.getOperation()).isEqualTo("c");
    assertThat(lineage.getSourcePosition()).isEqualTo("lsn=0/16B3748");
    assertThat(lineage.getSourceVersion()).isEqualTo(23803720L);
    assertThat(lineage.getSourceCommitTime()).isEqualTo(COMMITTED);
    assertThat(lineage.getIngestTime()).isEqualTo(INGESTED);
    assertThat(lineage.getSchemaVersion()).isEqualTo("1");
  }

  @ParameterizedTest(name = "{0}={1} → {2}")
  @CsvSource({
    "so_dinh_danh, 00109001234, person.personal-id.format",
    "so_dinh_danh, 'CCCD 001090012345', person.personal-id.format",
    "so_cmnd, 12345, person.former-id.format",
    "ngay_sinh, 31/02/1990, person.date-of-birth.format",
    "gioi_tinh, Khác, person.sex.code",
    "quoc_tich, Lào, person.nationality.code",
    "so_dien_thoai, 12345, person.phone.format",
    "ho_ten, '', person.required.fullName",
    "ho_ten, , person.required.fullName",
    "so_dinh_danh, , person.required.personalId",
    "ngay_sinh, '  ', person.required.dateOfBirth",
    "gioi_tinh, , person.required.sex",
    "ngay_sinh, 02/07/2026, person.date-of-birth.future",
    "ngay_sinh, 31/12/1899, person.date-of-birth.before-1900",
  })
  void rejectsRowsThatBreakARule(String column, String value, String rule) {
    Map<String, String> row = validRow();
    row.put(column, value);

    MappingResult result = map(row);

    assertThat(result)
        .isInstanceOfSatisfying(
            MappingResult.Rejected.class,
            r -> {
              assertThat(r.rule()).isEqualTo(rule);
              assertThat(r.message()).isNotBlank();
            });
  }

  @ParameterizedTest(name = "date of birth {0} is accepted")
  @CsvSource({"01/07/2026, 001226012345", "1900-01-01, 001000012345", "1/1/1900, 001000012345"})
  void acceptsBoundaryDatesOfBirth(String value, String personalId) {
    Map<String, String> row = validRow();
    row.put("ngay_sinh", value);
    row.put("so_dinh_danh", personalId);
    assertThat(map(row)).isInstanceOf(MappingResult.Mapped.class);
  }

  @Test
  void rejectionMessageNamesFieldAndColumn() {
    Map<String, String> row = validRow();
    row.put("so_dinh_danh", "12-34");
    MappingResult.Rejected rejected = (MappingResult.Rejected) map(row);
    assertThat(rejected.message()).startsWith("personalId (column so_dinh_danh): ");
  }

  @Test
  void aColumnMissingFromTheRowIsRejectedNotSilentlyEmptied() {
    Map<String, String> row = validRow();
    row.remove("dan_toc");
    assertThat(map(row))
        .isEqualTo(
            new MappingResult.Rejected(
                "person.source.column-missing",
                "the row has no column 'dan_toc' (mapped to ethnicity): was it dropped or"
                    + " renamed at the source? Restore it, or change the mapping (ifAbsent: empty"
                    + " for an optional field)"));
  }

  @Test
  void aColumnDeclaredIfAbsentEmptyIsCarriedOnceTheAgencyAddsIt() {
    EntityMapping ahead =
        EntityMapping.parse(
            "version: 1\nentity: Person\ntable: t\nfields:\n"
                + "  personalId: {column: so_dinh_danh, transform: personal-id}\n"
                + "  fullName: {column: ho_ten, transform: person-name}\n"
                + "  currentAddress: {column: dia_chi_tam_tru, transform: address, ifAbsent:"
                + " empty}\n"
                + "rules: {required: [personalId, fullName]}\n",
            "test",
            "test.yaml");
    PersonMapper mapper = new PersonMapper(ahead, NOW);
    Map<String, String> before = new HashMap<>(Map.of("so_dinh_danh", "001090012345"));
    before.put("ho_ten", "Lê Văn Tám");

    Person withoutColumn = mapped(mapper.mapRow(before, lineage("c")));
    assertThat(withoutColumn.getCurrentAddress()).isNull();

    Map<String, String> after = new HashMap<>(before);
    after.put("dia_chi_tam_tru", "Số 5, phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội");
    Person withColumn = mapped(mapper.mapRow(after, lineage("u")));
    assertThat(withColumn.getCurrentAddress().getProvinceCode()).isEqualTo("01");
    assertThat(withColumn.getCurrentAddress().getStreetLine()).contains("Hàng Bạc");
  }

  @Test
  void aNewColumnTheMappingDoesNotNameIsIgnored() {
    Map<String, String> row = validRow();
    row.put("ghi_chu", "cột mới thêm khi đang chạy");
    assertThat(mapped(map(row))).isEqualTo(mapped(map(validRow())));
  }

  @Test
  void aRetypedColumnWhoseValuesNoLongerReadIsRejectedNamingTheColumn() {
    Map<String, String> row = validRow();
    // gioi_tinh retyped from varchar ('Nam'/'Nữ') to boolean at the source.
    row.put("gioi_tinh", "true");
    MappingResult.Rejected rejected = (MappingResult.Rejected) map(row);
    assertThat(rejected.rule()).isEqualTo("person.sex.code");
    assertThat(rejected.message()).startsWith("sex (column gioi_tinh): ").contains("'true'");
  }

  @Test
  void nineDigitValueInThePersonalIdColumnIsAFormerId() {
    EntityMapping lenient =
        EntityMapping.parse(
            "version: 1\nentity: Person\ntable: t\nfields:\n"
                + "  personalId: {column: so_dinh_danh, transform: personal-id}\n"
                + "  fullName: {column: ho_ten, transform: person-name}\n",
            "test",
            "test.yaml");
    Person person =
        mapped(
            new PersonMapper(lenient, NOW)
                .mapRow(
                    Map.of("so_dinh_danh", "012 345 678", "ho_ten", "lê thị hoa"), lineage("u")));

    assertThat(person.getPersonalId()).isNull();
    assertThat(person.getFormerId()).isEqualTo("012345678");
    assertThat(person.getPersonKey()).isEqualTo("cmnd:012345678");
  }

  @Test
  void preTwentyTwentyFiveSplitCommuneKeepsTheRecordWithoutACommuneCode() {
    Map<String, String> row = validRow();
    row.put("dia_chi_thuong_tru", "Số 3, Phường Cống Vị, Quận Ba Đình, Hà Nội");
    Address address = mapped(map(row)).getPermanentAddress();
    assertThat(address.getProvinceCode()).isEqualTo("01");
    assertThat(address.getCommuneCode()).isNull();
    assertThat(address.getOriginalText()).isEqualTo("Số 3, Phường Cống Vị, Quận Ba Đình, Hà Nội");
  }

  @Test
  void deleteSkipsQualityRules() {
    Map<String, String> before = validRow();
    before.put("gioi_tinh", "Nữ"); // disagrees with the personal ID: fine for a delete
    assertThat(mapper.map(change("d", before))).isInstanceOf(MappingResult.Mapped.class);
  }

  @Test
  void deleteIsMappedFromItsKeyAlone() {
    Map<String, String> before = new HashMap<>();
    before.put("so_dinh_danh", "001090012345");
    before.put("ngay_sinh", "not a date");

    Person person = mapped(mapper.map(change("d", before)));

    assertThat(person.getPersonKey()).isEqualTo("001090012345");
    assertThat(person.getDeleted()).isTrue();
    assertThat(person.getDateOfBirth()).isNull();
    assertThat(person.getLineage().getOperation()).isEqualTo("d");
  }

  @ParameterizedTest(name = "delete with personal ID {0} → {1}")
  @CsvSource({", person.key.missing", "'123', person.personal-id.format"})
  void deleteWithoutAUsableKeyIsRejected(String personalId, String rule) {
    Map<String, String> before = new HashMap<>();
    before.put("so_dinh_danh", personalId);
    MappingResult result = mapper.map(change("d", before));
    assertThat(result)
        .isInstanceOfSatisfying(
            MappingResult.Rejected.class, r -> assertThat(r.rule()).isEqualTo(rule));
  }

  @Test
  void mapRowUsesTheGivenLineageWithTheMappingVersion() {
    Person person = mapped(mapper.mapRow(validRow(), lineage("r")));
    assertThat(person.getLineage().getOperation()).isEqualTo("r");
    assertThat(person.getLineage().getSchemaVersion()).isEqualTo("1");
    assertThat(person.getLineage().getSourcePosition()).isEqualTo("file=rows.jsonl:1");
  }

  @Test
  void addressSubFieldsFillTheNestedRecord() {
    EntityMapping addresses =
        EntityMapping.parse(
            "version: 1\nentity: Person\ntable: t\nfields:\n"
                + "  personalId: {column: id, transform: personal-id}\n"
                + "  currentAddress.streetLine: {column: duong, transform: text}\n"
                + "  currentAddress.originalText: {column: dia_chi, transform: text}\n",
            "test",
            "test.yaml");
    Map<String, String> row = new HashMap<>();
    row.put("id", "079190000001");
    row.put("duong", " 1  Lê Duẩn ");
    row.put("dia_chi", "1 Lê Duẩn, Sài Gòn");

    Address address =
        mapped(new PersonMapper(addresses, NOW).mapRow(row, lineage("c"))).getCurrentAddress();

    assertThat(address.getStreetLine()).isEqualTo("1 Lê Duẩn");
    assertThat(address.getOriginalText()).isEqualTo("1 Lê Duẩn, Sài Gòn");
    assertThat(address.getProvinceCode()).isNull();
  }

  @Test
  void survivesJavaSerializationAsFlinkOperatorStateDoes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(mapper);
    }
    PersonMapper copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (PersonMapper) in.readObject();
    }
    assertThat(copy.map(change("c", validRow()))).isEqualTo(mapper.map(change("c", validRow())));
  }

  static Lineage lineage(String operation) {
    return Lineage.newBuilder()
        .setSourceAgency("civil-registry")
        .setSourceDatabase("tuphap")
        .setSourceTable("public.nhan_khau")
        .setOperation(operation)
        .setSourcePosition("file=rows.jsonl:1")
        .setSourceVersion(1L)
        .setSourceCommitTime(COMMITTED)
        .setIngestTime(INGESTED)
        .setSchemaVersion("ignored")
        .build();
  }
}
