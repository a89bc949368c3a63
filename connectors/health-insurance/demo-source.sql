-- Demo source of the health-insurance database, created by `ndc-sync local` in MariaDB database
-- health_insurance. One row per health-insurance card (the_bhyt) with the holder's identity as the
-- insurer records it: names in UPPER CASE without diacritics, dates as DATE, sex as 1 (male) /
-- 0 (female), the CCCD or the old CMND in one column, phone numbers with the +84 prefix.
CREATE TABLE IF NOT EXISTS the_bhyt (
  id                BIGINT AUTO_INCREMENT PRIMARY KEY,
  ma_the            VARCHAR(15) NOT NULL COMMENT 'Mã thẻ BHYT: đối tượng (2 chữ), mức hưởng, mã tỉnh, số BHXH',
  ho_ten            VARCHAR(100) NOT NULL,
  ngay_sinh         DATE,
  gioi_tinh         TINYINT COMMENT '1 = nam, 0 = nữ',
  so_giay_to        VARCHAR(12) COMMENT 'CCCD (12 số) hoặc CMND (9 số)',
  dia_chi           VARCHAR(255),
  so_dien_thoai     VARCHAR(16),
  noi_dang_ky_kcb   VARCHAR(5) COMMENT 'Mã cơ sở khám chữa bệnh ban đầu',
  han_the_den       DATE,
  cap_nhat_luc      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY idx_the_bhyt_so_giay_to (so_giay_to)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
