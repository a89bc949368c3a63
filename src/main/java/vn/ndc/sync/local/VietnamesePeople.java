package vn.ndc.sync.local;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Generates realistic Vietnamese people: names, personal IDs that agree with birth data, addresses.
 */
public final class VietnamesePeople {

  private static final List<String> FAMILY =
      List.of(
          "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý");
  private static final List<String> MIDDLE_MALE =
      List.of("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Gia", "Công");
  private static final List<String> MIDDLE_FEMALE =
      List.of("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Diệu", "Kim");
  private static final List<String> GIVEN_MALE =
      List.of(
          "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân",
          "Quang", "Sơn", "Tuấn", "Việt", "Đạt", "Hiếu", "Thắng");
  private static final List<String> GIVEN_FEMALE =
      List.of(
          "Chi", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Phương", "Thảo",
          "Trang", "Yến", "Nhung", "Oanh", "Vy", "Trâm", "Giang");
  private static final List<String> ETHNICITY =
      List.of(
          "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa");

  /** Pre-2025 birth-registration province codes and the place names used in addresses. */
  private static final List<String[]> PLACES =
      List.of(
          new String[] {"001", "Hà Nội", "phường Hàng Đào", "phố Hàng Bạc"},
          new String[] {"001", "Hà Nội", "phường Cầu Giấy", "đường Xuân Thủy"},
          new String[] {"079", "Thành phố Hồ Chí Minh", "phường Bến Nghé", "đường Lê Lợi"},
          new String[] {"079", "Thành phố Hồ Chí Minh", "phường Tân Định", "đường Hai Bà Trưng"},
          new String[] {"031", "Hải Phòng", "phường Máy Tơ", "phố Lạch Tray"},
          new String[] {"048", "Đà Nẵng", "phường Hải Châu", "đường Bạch Đằng"},
          new String[] {"092", "Cần Thơ", "phường Tân An", "đường Hai Bà Trưng"},
          new String[] {"046", "Thừa Thiên Huế", "phường Phú Hội", "đường Lê Lợi"},
          new String[] {"040", "Nghệ An", "xã Nghi Phú", "đường Nguyễn Du"},
          new String[] {"038", "Thanh Hóa", "xã Quảng Thành", "đường Bà Triệu"});

  /**
   * Addresses as a land registry wrote them before 1 July 2025: old commune, district and province.
   * Some communes map to exactly one 2025 commune, others were split between several (Phường Cống
   * Vị, Xã Hưng Đạo, Phường Bình Chuẩn, Xã Hòa Liên, Thị trấn Tây Đằng) and stay ambiguous.
   */
  private static final List<String> PRE_2025_PLACES =
      List.of(
          "Phường Cống Vị, Quận Ba Đình, Thành phố Hà Nội",
          "Xã Phú Cường, Huyện Ba Vì, Thành phố Hà Nội",
          "Thị trấn Tây Đằng, Huyện Ba Vì, Thành phố Hà Nội",
          "Thị trấn Mèo Vạc, Huyện Mèo Vạc, Tỉnh Hà Giang",
          "Thị trấn Cốc Pài, Huyện Xín Mần, Tỉnh Hà Giang",
          "Thị trấn Hương Canh, Huyện Bình Xuyên, Tỉnh Vĩnh Phúc",
          "Thị trấn Tứ Kỳ, Huyện Tứ Kỳ, Tỉnh Hải Dương",
          "Xã Hưng Đạo, Huyện Tứ Kỳ, Tỉnh Hải Dương",
          "Xã Hòa Liên, Huyện Hòa Vang, Thành phố Đà Nẵng",
          "Phường An Thạnh, Thành phố Thuận An, Tỉnh Bình Dương",
          "Phường Bình Chuẩn, Thành phố Thuận An, Tỉnh Bình Dương",
          "Thị trấn Phước Vĩnh, Huyện Phú Giáo, Tỉnh Bình Dương",
          "Phường Phước Hưng, Thành phố Bà Rịa, Tỉnh Bà Rịa - Vũng Tàu",
          "Thị trấn Củ Chi, Huyện Củ Chi, Thành phố Hồ Chí Minh");

  /**
   * The pre-2025 places above by the birth-registration province whose 2025 province holds them.
   */
  private static final java.util.Map<String, List<String>> PRE_2025_BY_PROVINCE =
      java.util.Map.of(
          "001", PRE_2025_PLACES.subList(0, 3),
          "031", PRE_2025_PLACES.subList(6, 8),
          "048", PRE_2025_PLACES.subList(8, 9),
          "079", PRE_2025_PLACES.subList(9, 14));

  private static final DateTimeFormatter DD_MM_YYYY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  private final Random random;
  private final Set<String> issuedIds = new HashSet<>();

  public VietnamesePeople(long seed) {
    this.random = new Random(seed);
  }

  /** One generated person, as the civil-status register stores them. */
  public record Person(
      String personalId,
      String formerId,
      String fullName,
      String dateOfBirth,
      String sex,
      String ethnicity,
      String nationality,
      String address,
      String phone) {}

  /** Never issues these personal IDs: they belong to people already in a source. */
  public void reserve(Collection<String> personalIds) {
    issuedIds.addAll(personalIds);
  }

  public Person next() {
    boolean male = random.nextBoolean();
    LocalDate birth = LocalDate.of(1930 + random.nextInt(94), 1, 1).plusDays(random.nextInt(365));
    String[] place = pick(PLACES);
    String name =
        pick(FAMILY)
            + " "
            + pick(male ? MIDDLE_MALE : MIDDLE_FEMALE)
            + " "
            + pick(male ? GIVEN_MALE : GIVEN_FEMALE);
    String formerId =
        birth.getYear() < 2000 && random.nextInt(4) == 0
            ? String.format("%09d", random.nextInt(1_000_000_000))
            : null;
    return new Person(
        personalId(place[0], male, birth),
        formerId,
        name,
        birth.format(DD_MM_YYYY),
        male ? "Nam" : "Nữ",
        pick(ETHNICITY),
        "Việt Nam",
        address(place),
        phone());
  }

  /**
   * Another citizen with the same name, date of birth, sex and birth-registration province (a new
   * personal ID, address and phone): what makes a demographic match ambiguous.
   */
  public Person twin(Person of) {
    String province = of.personalId().substring(0, 3);
    String[] place =
        PLACES.stream().filter(p -> p[0].equals(province)).findFirst().orElse(PLACES.get(0));
    boolean male = "Nam".equals(of.sex());
    return new Person(
        personalId(province, male, birthDate(of)),
        null,
        of.fullName(),
        of.dateOfBirth(),
        of.sex(),
        of.ethnicity(),
        of.nationality(),
        address(place),
        phone());
  }

  /**
   * A pre-2025 address (old commune, district, province) in the 2025 province of the
   * birth-registration province {@code personalIdProvince} (3 digits), when the demo knows one.
   */
  public java.util.Optional<String> pre2025AddressIn(String personalIdProvince) {
    List<String> places = PRE_2025_BY_PROVINCE.getOrDefault(personalIdProvince, List.of());
    if (places.isEmpty()) {
      return java.util.Optional.empty();
    }
    String line = "Thôn " + (1 + random.nextInt(12));
    return java.util.Optional.of(line + ", " + pick(places));
  }

  /** A new address in a random place, as a move would record it. */
  public String address() {
    return address(pick(PLACES));
  }

  public String phone() {
    String prefix = pick(List.of("090", "091", "093", "096", "097", "098", "086", "088", "032"));
    int rest = random.nextInt(10_000_000);
    String digits = prefix + String.format("%07d", rest);
    return digits.substring(0, 4) + " " + digits.substring(4, 7) + " " + digits.substring(7);
  }

  /** A pre-2025 address (old commune, district, province) with a plot or hamlet line. */
  public String pre2025Address() {
    String line =
        random.nextBoolean()
            ? "Thửa " + (1 + random.nextInt(900)) + ", tờ bản đồ " + (1 + random.nextInt(60))
            : "Thôn " + (1 + random.nextInt(12));
    return line + ", " + pick(PRE_2025_PLACES);
  }

  /** The date of birth of a generated person. */
  public static LocalDate birthDate(Person person) {
    return LocalDate.parse(person.dateOfBirth(), DD_MM_YYYY);
  }

  /** Upper case without diacritics, as systems limited to ASCII store names ("NGUYEN VAN AN"). */
  public static String upperAscii(String text) {
    String stripped =
        Normalizer.normalize(text, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .replace('đ', 'd')
            .replace('Đ', 'D');
    return stripped.toUpperCase(Locale.ROOT);
  }

  /** A phone number as "0912 345 678" → "+84912345678". */
  public static String e164(String phone) {
    String digits = phone.replace(" ", "");
    return "+84" + digits.substring(1);
  }

  private String address(String[] place) {
    return "Số " + (1 + random.nextInt(300)) + ", " + place[3] + ", " + place[2] + ", " + place[1];
  }

  private String personalId(String province, boolean male, LocalDate birth) {
    int centuryBase = birth.getYear() >= 2000 ? 2 : 0;
    int centurySex = centuryBase + (male ? 0 : 1);
    String prefix = province + centurySex + String.format("%02d", birth.getYear() % 100);
    while (true) {
      String id = prefix + String.format("%06d", random.nextInt(1_000_000));
      if (issuedIds.add(id)) {
        return id;
      }
    }
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  Random random() {
    return random;
  }
}
