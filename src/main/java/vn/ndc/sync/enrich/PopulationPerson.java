package vn.ndc.sync.enrich;

import vn.ndc.sync.avro.Citizen;
import vn.ndc.sync.avro.MatchMethod;
import vn.ndc.sync.avro.Person;

/** A citizen as the population's own contribution to the merged NDC person. */
public final class PopulationPerson {

  private PopulationPerson() {}

  /** The citizen as a Person of its agency (the lineage's), already linked by personal ID. */
  public static Person of(Citizen citizen) {
    return Person.newBuilder()
        .setPersonKey(citizen.getPersonalId())
        .setPersonalId(citizen.getPersonalId())
        .setFormerId(citizen.getFormerId())
        .setFullName(citizen.getFullName())
        .setDateOfBirth(citizen.getDateOfBirth())
        .setSex(citizen.getSex())
        .setPermanentAddress(citizen.getPermanentAddress())
        .setDeleted(citizen.getDeleted())
        .setLineage(citizen.getLineage())
        .setSourceKey(citizen.getPersonalId())
        .setMatchMethod(MatchMethod.PERSONAL_ID)
        .build();
  }
}
