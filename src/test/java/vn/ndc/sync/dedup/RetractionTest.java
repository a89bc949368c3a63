package vn.ndc.sync.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.Lineage;
import vn.ndc.sync.avro.Person;

/** What a retraction tells the steps it passes, and what the store gets in its place. */
class RetractionTest {

  private static Person version(String personKey, String personalId, long version, String op) {
    return Person.newBuilder()
        .setPersonKey(personKey)
        .setPersonalId(personalId)
        .setSourceKey("r-7")
        .setFullName("Đặng Văn Quý")
        .setLineage(
            Lineage.newBuilder()
                .setSourceAgency("land-registry")
                .setSourceDatabase("land_registry")
                .setSourceTable("public.chu_su_dung")
                .setOperation(op)
                .setSourcePosition("lsn=" + version)
                .setSourceVersion(version)
                .setSourceCommitTime(Instant.ofEpochSecond(version))
                .setIngestTime(Instant.ofEpochSecond(version))
                .setSchemaVersion("1")
                .build())
        .build();
  }

  @Test
  void aCorrectedIdThatChangesTheStoreKeyEndsTheOldKeysRowWithTheUpdatesVersion() {
    Person mistyped = version("001090000009", "001090000009", 1, "c");
    Person corrected = version("001090000001", "001090000001", 2, "u");

    Person retraction = Retraction.of(mistyped, corrected, true);

    assertThat(Retraction.is(retraction)).isTrue();
    assertThat(Retraction.personalIdChanged(retraction)).isTrue();
    assertThat(Retraction.matchKeyKept(retraction)).isTrue();
    Person gone = Retraction.storeDelete(retraction);
    assertThat(gone.getPersonKey()).isEqualTo("001090000009");
    assertThat(gone.getDeleted()).isTrue();
    assertThat(gone.getLineage().getOperation()).isEqualTo("d");
    assertThat(gone.getLineage().getSourceVersion()).isEqualTo(2L);
    assertThat(gone.getSources()).isEmpty();
    assertThat(Retraction.is(gone)).as("a plain delete, which the store applies").isFalse();
    assertThat(retraction.getLineage().getOperation())
        .as("the retraction is unchanged")
        .isEqualTo("u");
  }

  @Test
  void aCorrectionThatKeepsTheStoreKeyNeedsNoStoreDelete() {
    Person before = version("row:r-7", null, 1, "c");
    Person renamed = version("row:r-7", null, 2, "u");
    renamed.setFullName("Đặng Văn Quy");

    Person retraction = Retraction.of(before, renamed, false);

    assertThat(Retraction.anyIdChanged(retraction)).isFalse();
    assertThat(Retraction.matchKeyKept(retraction)).isFalse();
    assertThat(Retraction.storeDelete(retraction)).isNull();
  }
}
