-- Demo source of a provincial land registry, created by `ndc-sync local` in database land_registry.
-- Holders of land-use rights (chu_su_dung) as registered before the 2025 reorganization: addresses
-- name the old commune, district (huyện/quận) and province; birth dates are text, either dd/MM/yy
-- or epoch milliseconds from an older system; names were exported in Unicode NFD.
CREATE TABLE IF NOT EXISTS public.chu_su_dung (
  ma_chu              bigserial PRIMARY KEY,
  so_giay_chung_nhan  varchar(20),
  ho_va_ten           text NOT NULL,
  so_cccd             varchar(12),
  so_cmnd             varchar(9),
  ngay_sinh           varchar(20),
  gioi_tinh           varchar(5),
  dia_chi_thuong_tru  text,
  ma_tinh_cu          varchar(2),
  dien_thoai          varchar(20),
  cap_nhat_luc        timestamp NOT NULL DEFAULT localtimestamp
);
-- Deletes must carry the personal ID, which is not the primary key.
ALTER TABLE public.chu_su_dung REPLICA IDENTITY FULL;
