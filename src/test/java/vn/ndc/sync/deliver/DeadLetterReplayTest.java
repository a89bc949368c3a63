package vn.ndc.sync.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.ndc.sync.avro.DeadLetter;

class DeadLetterReplayTest {

  @Test
  void copiesOfOneChangeAreOneChangeWhateverTheirOffsetAndRule() {
    DeadLetter first = letter(10, "0/16B3748", row("Nam"), "person.sex.code");
    DeadLetter replayedCopy = letter(57, "0/16B3748", row("Nam"), "person.date-of-birth.future");

    assertThat(DeadLetterReplay.change(replayedCopy)).isEqualTo(DeadLetterReplay.change(first));
  }

  @Test
  void anotherRowOrPositionIsAnotherChange() {
    DeadLetter change = letter(10, "0/16B3748", row("Nam"), "person.sex.code");

    // A snapshot reads every row at one position: the row tells them apart.
    assertThat(DeadLetterReplay.change(letter(11, "0/16B3748", row("Nữ"), "person.sex.code")))
        .isNotEqualTo(DeadLetterReplay.change(change));
    assertThat(DeadLetterReplay.change(letter(11, "0/16B3750", row("Nam"), "person.sex.code")))
        .isNotEqualTo(DeadLetterReplay.change(change));
  }

  @Test
  void undecodableCopiesAreComparedByTheirBytes() {
    DeadLetter a = bytes(10, new byte[] {0, 0, 0, 0, 7, 1, 2});
    DeadLetter b = bytes(99, new byte[] {0, 0, 0, 0, 7, 1, 2});
    DeadLetter other = bytes(11, new byte[] {0, 0, 0, 0, 7, 1, 3});

    assertThat(DeadLetterReplay.change(b)).isEqualTo(DeadLetterReplay.change(a));
    assertThat(DeadLetterReplay.change(other)).isNotEqualTo(DeadLetterReplay.change(a));
  }

  @Test
  void withoutASourcePositionCopiesCannotBeToldFromChangesSoOnlyOneRawRecordIsOneChange() {
    DeadLetter unknown = letter(10, null, row("Nam"), "person.sex.code");

    assertThat(DeadLetterReplay.change(letter(57, null, row("Nam"), "person.sex.code")))
        .isNotEqualTo(DeadLetterReplay.change(unknown));
    assertThat(DeadLetterReplay.change(letter(10, null, row("Nam"), "person.date-of-birth.future")))
        .isEqualTo(DeadLetterReplay.change(unknown));
  }

  private static Map<String, String> row(String sex) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", "42");
    row.put("gioi_tinh", sex);
    return row;
  }

  private static DeadLetter letter(
      long offset, String position, Map<String, String> row, String rule) {
    return base(offset).setSourcePosition(position).setRawRow(row).setRule(rule).build();
  }

  private static DeadLetter bytes(long offset, byte[] value) {
    return base(offset).setSourcePosition("0/16B3748").setRawBytes(ByteBuffer.wrap(value)).build();
  }

  private static DeadLetter.Builder base(long offset) {
    return DeadLetter.newBuilder()
        .setJob("person-sync")
        .setRule("raw.undecodable")
        .setMessage("rejected")
        .setAgency("civil-registry")
        .setRawTopic("raw.civil-registry.public.nhan_khau")
        .setRawPartition(0)
        .setRawOffset(offset)
        .setFailedAt(Instant.EPOCH);
  }
}
