package vn.ndc.sync.enrich;

import java.time.Instant;
import java.time.LocalDate;
import vn.ndc.sync.avro.Address;
import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;
import vn.ndc.sync.avro.Sex;
import vn.ndc.sync.dedup.Retraction;

/** Builders of citizens and agency person records with their lineage, for tests. */
public final class TestRecords {

  private TestRecords() {}

  /**
   * Lineage of a change at {@code version} of {@code agency}, committed at second {@code version}.
   */
  public static Lineage lineage(String agency, long version, String operation) {
    return Lineage.newBuilder()
        .setSourceAgency(agency)
        .setSourceDatabase(agency.replace('-', '_'))
        .setSourceTable("public.person")
        .setOperation(operation)
        .setSourcePosition("lsn=" + version)
        .setSourceVersion(version)
        .setSourceCommitTime(Instant.ofEpochSecond(1_760_000_000L + version))
        .setIngestTime(Instant.ofEpochSecond(1_760_000_000L + version + 1))
        .setSchemaVersion("1")
        .build();
  }

  /**
   * The retraction standardize sends of {@code before} ahead of {@code update}, marked as it marks
   * it when the two share a demographic match key.
   */
  public static Person retraction(Person before, Person update) {
    return Retraction.of(
        before,
        update,
        MatchKeys.demographicStepKey(before).equals(MatchKeys.demographicStepKey(update)));
  }

  /** An address in 2025 province {@code provinceCode}. */
  public static Address address(String provinceCode, String street) {
    return Address.newBuilder()
        .setProvinceCode(provinceCode)
        .setStreetLine(street)
        .setOriginalText(street)
        .build();
  }

  /** Starts a citizen of the population data. */
  public static CitizenBuilder citizen(String personalId) {
    return new CitizenBuilder(personalId);
  }

  /** Starts a person record of an agency. */
  public static PersonBuilder person(String agency) {
    return new PersonBuilder(agency);
  }

  /** Fluent citizen. */
  public static final class CitizenBuilder {
    private final Citizen.Builder b;
    private long version = 1;
    private String operation = "c";

    private CitizenBuilder(String personalId) {
      b = Citizen.newBuilder().setPersonalId(personalId);
    }

    public CitizenBuilder formerId(String id) {
      b.setFormerId(id);
      return this;
    }

    public CitizenBuilder name(String name) {
      b.setFullName(name);
      return this;
    }

    public CitizenBuilder born(String isoDate) {
      b.setDateOfBirth(LocalDate.parse(isoDate));
      return this;
    }

    public CitizenBuilder sex(Sex sex) {
      b.setSex(sex);
      return this;
    }

    public CitizenBuilder birthProvince(String code) {
      b.setBirthProvinceCode(code);
      return this;
    }

    public CitizenBuilder livesIn(String provinceCode) {
      b.setPermanentAddress(address(provinceCode, "Số 1"));
      return this;
    }

    public CitizenBuilder version(long v) {
      version = v;
      return this;
    }

    public CitizenBuilder deleted() {
      b.setDeleted(true);
      operation = "d";
      return this;
    }

    public Citizen build() {
      return b.setLineage(lineage("population", version, operation)).build();
    }
  }

  /** Fluent agency record; the person key follows the IDs as standardize sets it. */
  public static final class PersonBuilder {
    private final Person.Builder b = Person.newBuilder();
    private final String agency;
    private long version = 1;
    private String operation = "c";
    private String sourceKey;

    private PersonBuilder(String agency) {
      this.agency = agency;
    }

    public PersonBuilder personalId(String id) {
      b.setPersonalId(id);
      return this;
    }

    public PersonBuilder formerId(String id) {
      b.setFormerId(id);
      return this;
    }

    public PersonBuilder name(String name) {
      b.setFullName(name);
      return this;
    }

    public PersonBuilder born(String isoDate) {
      b.setDateOfBirth(LocalDate.parse(isoDate));
      return this;
    }

    public PersonBuilder sex(Sex sex) {
      b.setSex(sex);
      return this;
    }

    public PersonBuilder livesIn(String provinceCode) {
      b.setPermanentAddress(TestRecords.address(provinceCode, "Số 1"));
      return this;
    }

    public PersonBuilder address(Address address) {
      b.setPermanentAddress(address);
      return this;
    }

    public PersonBuilder phone(String phone) {
      b.setPhone(phone);
      return this;
    }

    public PersonBuilder ethnicity(String ethnicity) {
      b.setEthnicity(ethnicity);
      return this;
    }

    public PersonBuilder sourceKey(String key) {
      sourceKey = key;
      return this;
    }

    public PersonBuilder version(long v) {
      version = v;
      return this;
    }

    public PersonBuilder deleted() {
      b.setDeleted(true);
      operation = "d";
      return this;
    }

    public Person build() {
      String key =
          b.getPersonalId() != null
              ? b.getPersonalId()
              : b.getFormerId() != null ? "cmnd:" + b.getFormerId() : null;
      return b.setPersonKey(key == null ? "row:" + sourceKey : key)
          .setSourceKey(sourceKey)
          .setLineage(lineage(agency, version, operation))
          .build();
    }
  }
}
