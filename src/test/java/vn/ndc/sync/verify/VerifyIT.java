package vn.ndc.sync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vn.ndc.sync.cli.NdcSync;
import vn.ndc.sync.local.LocalPipeline;
import vn.ndc.sync.local.SharedTestStack;
import vn.ndc.sync.testing.TestConnectors;

/**
 * `ndc-sync verify` on the shared pipeline: clean after a sync, and naming the keys of a row
 * changed and a row deleted by hand in the NDC store.
 */
class VerifyIT {

  private static final Random RANDOM = new Random();
  private static LocalPipeline pipeline;

  @BeforeAll
  static void stack() {
    pipeline = SharedTestStack.pipeline();
  }

  /** Exit code and output of one `ndc-sync verify` run. */
  record Run(int exitCode, String output) {}

  @Test
  void agreesAfterSyncAndNamesKeysChangedOrDeletedByHand() throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection src = pipeline.postgres().connect("civil_registry")) {
      src.setAutoCommit(false);
      for (int i = 0; i < 5; i++) {
        String id = "001090" + String.format("%06d", RANDOM.nextInt(1_000_000));
        ids.add(id);
        insert(src, id, "Đỗ Văn Hùng " + (char) ('A' + i), "0" + (1 + i) + "/02/1990");
      }
      // One row the mapping rejects (no personal ID, no former ID): expected absent, not missing.
      insert(src, null, "Không Có Số", "01/01/1990");
      try (Statement st = src.createStatement()) {
        st.executeUpdate(
            "UPDATE public.nhan_khau SET so_dien_thoai = '0912 000 111' WHERE so_dinh_danh = '"
                + ids.get(0)
                + "'");
      }
      src.commit();
    }

    Run clean = awaitVerifyExit(0);
    assertThat(clean.output()).contains("rejected at source").contains("verify: OK");

    String changed = ids.get(1);
    String deleted = ids.get(2);
    try (Connection ndc = pipeline.postgres().connect(LocalPipeline.NDC_DATABASE);
        Statement st = ndc.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE saved AS SELECT * FROM ndc.person_source WHERE person_key IN ('"
              + changed
              + "','"
              + deleted
              + "')");
      st.executeUpdate(
          "UPDATE ndc.person_source SET full_name = 'Sửa Tay' WHERE person_key = '"
              + changed
              + "'");
      st.executeUpdate("DELETE FROM ndc.person_source WHERE person_key = '" + deleted + "'");
      try {
        Run broken = verify("--show-keys");
        assertThat(broken.exitCode()).as(broken.output()).isEqualTo(1);
        assertThat(broken.output())
            .contains("missing keys           1")
            .contains("different keys         1")
            .contains("    " + changed)
            .contains("    " + deleted)
            .contains("MISMATCH");
        // Without --show-keys the console gets no whole personal ID.
        Run masked = verify();
        assertThat(masked.exitCode()).as(masked.output()).isEqualTo(1);
        assertThat(masked.output())
            .contains("    " + changed.substring(0, 3) + "******" + changed.substring(9))
            .doesNotContain(changed)
            .doesNotContain(deleted);
      } finally {
        st.executeUpdate(
            "DELETE FROM ndc.person_source WHERE person_key IN ('"
                + changed
                + "','"
                + deleted
                + "')");
        st.executeUpdate("INSERT INTO ndc.person_source SELECT * FROM saved");
      }
    }
    Run restored = verify();
    assertThat(restored.exitCode()).as(restored.output()).isEqualTo(0);
  }

  @Test
  void aSourceWithoutJdbcUrlIsAConfigurationError() {
    StringWriter err = new StringWriter();
    CommandLine cli = NdcSync.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("verify", "--connectors", connectors().toString(), "--store", ndcUrl());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--source civil-registry=<jdbc-url>");
  }

  /** Verify until it agrees (the pipeline may still be applying the changes) or time runs out. */
  private static Run awaitVerifyExit(int expected) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    Run run = verify();
    while (run.exitCode() != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(1000);
      run = verify();
    }
    assertThat(run.exitCode()).as(run.output()).isEqualTo(expected);
    return run;
  }

  private static Run verify(String... more) {
    StringWriter out = new StringWriter();
    CommandLine cli = NdcSync.commandLine();
    cli.setOut(new PrintWriter(out));
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--connectors",
                connectors().toString(),
                "--source",
                "civil-registry="
                    + pipeline.postgres().jdbcUrl("civil_registry")
                    + "?user=postgres",
                "--store",
                ndcUrl()));
    args.addAll(List.of(more));
    int code = cli.execute(args.toArray(String[]::new));
    return new Run(code, out.toString());
  }

  private static String ndcUrl() {
    return pipeline.postgres().jdbcUrl(LocalPipeline.NDC_DATABASE) + "?user=postgres";
  }

  /** The civil-registry agency alone: the scenario's rows are all there. */
  private static Path connectors() {
    if (connectors == null) {
      try {
        connectors =
            TestConnectors.only(
                java.nio.file.Files.createTempDirectory(
                    Path.of(System.getProperty("ndc.project.dir", "."), "target"), "verify-it-"),
                "civil-registry");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return connectors;
  }

  private static Path connectors;

  private static void insert(Connection c, String id, String name, String dob) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO public.nhan_khau (so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh, dan_toc,"
                + " quoc_tich, so_dien_thoai, dia_chi_thuong_tru)"
                + " VALUES (?,?,?,'Nam','Kinh','Việt Nam','0987 654 321',"
                + " 'Số 5, phố Hàng Bạc, phường Hàng Đào, Hà Nội')")) {
      st.setString(1, id);
      st.setString(2, name);
      st.setString(3, dob);
      st.executeUpdate();
    }
  }
}
