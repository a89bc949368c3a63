-- Demo source of the civil-status register, created by `ndc-sync local` in database civil_registry.
-- Column names follow the register's Vietnamese conventions; dates are stored as dd/MM/yyyy text.
CREATE TABLE IF NOT EXISTS public.nhan_khau (
  id                  bigserial PRIMARY KEY,
  so_dinh_danh        varchar(12),
  so_cmnd             varchar(9),
  ho_ten              text NOT NULL,
  ngay_sinh           varchar(10),
  gioi_tinh           varchar(3),
  dan_toc             text,
  quoc_tich           text,
  dia_chi_thuong_tru  text,
  so_dien_thoai       text,
  cap_nhat_luc        timestamp NOT NULL DEFAULT localtimestamp
);
-- Deletes must carry the personal ID, which is not the primary key.
ALTER TABLE public.nhan_khau REPLICA IDENTITY FULL;
