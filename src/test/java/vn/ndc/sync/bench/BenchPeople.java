package vn.ndc.sync.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vn.ndc.sync.avro.SourceChange;
import vn.ndc.sync.local.VietnamesePeople;

/** Realistic civil-registry rows and source changes for the microbenchmarks. */
final class BenchPeople {

  /** Records per benchmark invocation; the figures JMH prints are per record. */
  static final int BATCH = 1024;

  static final Path CIVIL_REGISTRY =
      Path.of(System.getProperty("ndc.project.dir", "."), "connectors/civil-registry/mapping.yaml");

  private BenchPeople() {}

  /** {@code n} rows of the civil-registry table, as the capture renders them (text columns). */
  static List<Map<String, String>> rows(int n) {
    VietnamesePeople people = new VietnamesePeople(20250701L);
    List<Map<String, String>> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      VietnamesePeople.Person p = people.next();
      Map<String, String> row = new HashMap<>();
      row.put("id", String.valueOf(i + 1));
      row.put("so_dinh_danh", p.personalId());
      row.put("so_cmnd", p.formerId());
      row.put("ho_ten", p.fullName());
      row.put("ngay_sinh", p.dateOfBirth());
      row.put("gioi_tinh", p.sex());
      row.put("dan_toc", p.ethnicity());
      row.put("quoc_tich", p.nationality());
      row.put("dia_chi_thuong_tru", p.address());
      row.put("so_dien_thoai", p.phone());
      row.put("cap_nhat_luc", "2026-06-01T10:00:00.123456");
      rows.add(row);
    }
    return rows;
  }

  /** The rows as inserts captured from PostgreSQL. */
  static List<SourceChange> changes(int n) {
    List<SourceChange> out = new ArrayList<>(n);
    long lsn = 0x16B3748L;
    int i = 0;
    for (Map<String, String> row : rows(n)) {
      out.add(
          SourceChange.newBuilder()
              .setAgency("civil-registry")
              .setDatabase("civil_registry")
              .setTable("public.nhan_khau")
              .setOperation("c")
              .setPosition("lsn=0/" + Long.toHexString(lsn + i * 512L).toUpperCase())
              .setVersion(lsn + i * 512L)
              .setCommitTime(Instant.parse("2026-06-01T03:00:00Z").plusMillis(i))
              .setIngestTime(Instant.parse("2026-06-01T03:00:00.050Z").plusMillis(i))
              .setRow(row)
              .setRawTopic("raw.civil-registry.nhan_khau")
              .setRawPartition(i % 2)
              .setRawOffset(i)
              .build());
      i++;
    }
    return out;
  }
}
