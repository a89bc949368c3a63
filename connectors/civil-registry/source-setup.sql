-- What the ndc-sync capture needs in the civil-registry source database, and nothing more. Run it as the
-- owner of the captured tables (a DBA), once per database; it is idempotent, and `ndc-sync local`
-- runs it at every start. Then give the role a password (ALTER ROLE ndc_cdc PASSWORD '...') and
-- put it in the connector's secret. See connectors/README.md.

-- The connector's login: it may stream changes (REPLICATION) and read what it captures; it owns
-- nothing, creates nothing and is not a superuser.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ndc_cdc') THEN
    CREATE ROLE ndc_cdc WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ndc_cdc', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO ndc_cdc;
-- The initial snapshot reads the table; streaming needs no table privilege.
GRANT SELECT ON public.nhan_khau TO ndc_cdc;

-- The heartbeat table: the connector updates its one row every heartbeat.interval.ms
-- (heartbeat.action.query), so the replication slot sees a change of this database, and can
-- confirm its position, even while the captured table is idle and other tables or databases
-- write WAL. Without it the slot would pin that WAL until the next change of the captured table.
CREATE TABLE IF NOT EXISTS public.ndc_heartbeat (
  id    int PRIMARY KEY,
  beat  timestamptz NOT NULL
);
INSERT INTO public.ndc_heartbeat VALUES (1, now()) ON CONFLICT (id) DO NOTHING;
GRANT SELECT, UPDATE ON public.ndc_heartbeat TO ndc_cdc;

-- The publication names exactly the captured table and the heartbeat table (the connector runs
-- with publication.autocreate.mode=disabled, so it needs no ownership of either).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'ndc_civil_registry') THEN
    CREATE PUBLICATION ndc_civil_registry FOR TABLE public.nhan_khau, public.ndc_heartbeat;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_publication_tables
                 WHERE pubname = 'ndc_civil_registry' AND schemaname = 'public' AND tablename = 'nhan_khau') THEN
    ALTER PUBLICATION ndc_civil_registry ADD TABLE public.nhan_khau;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_publication_tables
                 WHERE pubname = 'ndc_civil_registry' AND schemaname = 'public' AND tablename = 'ndc_heartbeat') THEN
    ALTER PUBLICATION ndc_civil_registry ADD TABLE public.ndc_heartbeat;
  END IF;
END
$$;
