package vn.ndc.sync.standardize;

import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import vn.ndc.sync.avro.Person;

/** Data-quality rules on a mapped person that no single field transform can check. */
final class PersonRules implements Serializable {

  private static final long serialVersionUID = 1L;
  static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

  private final Clock clock;
  private final ZoneId zone;

  PersonRules(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  /** The first rule the person breaks, or null. */
  MappingResult.Rejected check(Person person) {
    MappingResult.Rejected broken = checkDateOfBirth(person.getDateOfBirth());
    if (broken == null) {
      broken =
          PersonalIdRules.check(
              person.getPersonalId(), person.getSex(), person.getDateOfBirth(), AdminUnits.get());
    }
    if (broken == null) {
      broken =
          AddressRules.check("permanentAddress", person.getPermanentAddress(), AdminUnits.get());
    }
    if (broken == null) {
      broken = AddressRules.check("currentAddress", person.getCurrentAddress(), AdminUnits.get());
    }
    return broken;
  }

  private MappingResult.Rejected checkDateOfBirth(LocalDate born) {
    if (born == null) {
      return null;
    }
    // "Today" where the sources are, not in UTC: a baby born this morning in Hà Nội is valid.
    LocalDate today = LocalDate.now(clock.withZone(zone));
    if (born.isAfter(today)) {
      return new MappingResult.Rejected(
          "person.date-of-birth.future", "date of birth " + born + " is in the future");
    }
    if (born.isBefore(EARLIEST_BIRTH)) {
      return new MappingResult.Rejected(
          "person.date-of-birth.before-1900", "date of birth " + born + " is before 1900");
    }
    return null;
  }
}
