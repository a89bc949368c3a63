-- Demo source of the National Population Database, created by `ndc-sync local` in database
-- population: one row per citizen, keyed by the 12-digit personal ID (so_dinh_danh).
CREATE TABLE IF NOT EXISTS public.cong_dan (
  so_dinh_danh        char(12) PRIMARY KEY,
  so_cmnd             char(9),
  ho_ten              text NOT NULL,
  ngay_sinh           date NOT NULL,
  gioi_tinh           varchar(3) NOT NULL,
  noi_dang_ky_khai_sinh varchar(3) NOT NULL,
  noi_thuong_tru      text,
  cap_nhat_luc        timestamp NOT NULL DEFAULT localtimestamp
);
-- Deletes carry the whole row, so a deleted citizen is withdrawn from every lookup key.
ALTER TABLE public.cong_dan REPLICA IDENTITY FULL;
