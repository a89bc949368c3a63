package vn.ndc.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MapCommandTest {

  static final String CIVIL_REGISTRY = "connectors/civil-registry";

  @TempDir Path tmp;

  record Run(int exit, List<String> out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NdcSync.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString().lines().toList(), err.toString());
  }

  @Test
  void sampleRowsPrintOneRecordOrReasonPerRow() {
    Run run =
        run("map", "--connector", CIVIL_REGISTRY, "--input", CIVIL_REGISTRY + "/sample-rows.jsonl");

    assertThat(run.exit()).isEqualTo(MapCommand.SOME_REJECTED);
    assertThat(run.out()).hasSize(10);
    assertThat(run.out().get(0))
        .startsWith("{\"personKey\":\"001090012345\"")
        .contains("\"fullName\":\"Nguyễn Văn An\"")
        .contains("\"dateOfBirth\":\"1990-05-17\"")
        .contains("\"phone\":\"+84912345678\"")
        .contains("\"communeCode\":\"00070\"")
        .doesNotContain("lineage");
    assertThat(run.out().get(1))
        .contains("\"fullName\":\"Trần Thị Bình\"")
        .contains("\"provinceCode\":\"79\"")
        .contains("\"phone\":\"+84983123456\"");
    // The NFD name comes out composed (NFC).
    assertThat(run.out().get(2)).contains("\"fullName\":\"Lê Thị Hương\"");
    assertThat(run.out().subList(3, 10))
        .containsExactly(
            "REJECTED person.required.personalId: personalId is required but column so_dinh_danh"
                + " holds the 9-digit former ID card number 012345678 (moved to formerId)",
            "REJECTED person.personal-id.format: personalId (column so_dinh_danh): a personal ID"
                + " has 12 digits, got '00109001234'",
            "REJECTED person.personal-id.birth-year: personal ID 001090012346 encodes birth year"
                + " 1990 but the date of birth is 1991-05-17",
            "REJECTED person.date-of-birth.future: date of birth 2099-01-01 is in the future",
            "REJECTED person.sex.code: sex (column gioi_tinh): 'X' is not in the code list; add it"
                + " to the mapping's codes",
            "REJECTED person.former-id.conflict: the personal ID column holds former ID 987654321"
                + " but the former ID column holds 123456789",
            "REJECTED person.former-id.format: formerId (column so_cmnd): a former ID card number"
                + " has 9 digits, got '12345678'");
    assertThat(run.err()).contains("10 rows: 3 mapped, 7 rejected");
  }

  @Test
  void exitsZeroWhenEveryRowMapsAndReadsNumbersAsText() throws IOException {
    Path rows =
        write(
            "{\"so_dinh_danh\": 1090012345, \"ho_ten\": \"Nguyễn Văn An\", \"ngay_sinh\":"
                + " \"17/05/1990\", \"gioi_tinh\": 1}",
            "",
            "{\"so_dinh_danh\": \"079301004567\", \"ho_ten\": \"TRẦN THỊ BÌNH\", \"ngay_sinh\":"
                + " \"2001-02-03\", \"gioi_tinh\": \"Nữ\", \"unknown\": true}");

    Run run = run("map", "--connector", CIVIL_REGISTRY, "--input", rows.toString());

    // 1090012345 lost its leading zeros as a JSON number: the ID is then too short.
    assertThat(run.out().get(0)).startsWith("REJECTED person.personal-id.format");
    Path good =
        write(
            "{\"so_dinh_danh\": \"001090012345\", \"ho_ten\": \"Nguyễn Văn An\", \"ngay_sinh\":"
                + " \"17/05/1990\", \"gioi_tinh\": 1}");
    Run ok = run("map", "--connector", CIVIL_REGISTRY, "--input", good.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).singleElement().asString().contains("\"sex\":\"MALE\"");
    assertThat(run.err()).contains("note: columns not read").contains("unknown");
  }

  @Test
  void badInputNamesTheLineAndExitsTwo() throws IOException {
    Path rows =
        write(
            "{\"so_dinh_danh\": \"001090012345\", \"ho_ten\": \"An\"}",
            "{\"so_dinh_danh\": \"001090012345\", \"ho_ten\": ",
            "{}");

    Run run = run("map", "--connector", CIVIL_REGISTRY, "--input", rows.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("line 2:").contains("not valid JSON");

    Run array = run("map", "--connector", CIVIL_REGISTRY, "--input", write("[1, 2]").toString());
    assertThat(array.exit()).isEqualTo(2);
    assertThat(array.err()).contains("line 1: expected a JSON object");

    Run nested =
        run(
            "map",
            "--connector",
            CIVIL_REGISTRY,
            "--input",
            write("{\"ho_ten\": {\"a\": 1}}").toString());
    assertThat(nested.exit()).isEqualTo(2);
    assertThat(nested.err()).contains("line 1: column 'ho_ten' holds a JSON object");
  }

  @Test
  void badConfigExitsTwo() throws IOException {
    Run missing =
        run(
            "map",
            "--connector",
            tmp.resolve("nowhere").toString(),
            "--input",
            write("{}").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("mapping not found");

    Run noFile =
        run(
            "map",
            "--connector",
            CIVIL_REGISTRY,
            "--input",
            tmp.resolve("absent.jsonl").toString());
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err()).contains("no such file");
  }

  private Path write(String... lines) throws IOException {
    Path file = Files.createTempFile(tmp, "rows", ".jsonl");
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    return file;
  }
}
