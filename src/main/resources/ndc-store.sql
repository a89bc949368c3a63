-- NDC store schema. Idempotent: run at every job start. Table names: vn.ndc.sync.deliver.NdcTables.
CREATE SCHEMA IF NOT EXISTS ndc;

-- One row per agency record (source agency + the record's person key): the record as the agency
-- reported it, standardized, and the citizen the enrich stage linked it to.
CREATE TABLE IF NOT EXISTS ndc.person_source (
  person_key               text        NOT NULL,
  personal_id              char(12),
  former_id                char(9),
  full_name                text,
  date_of_birth            date,
  sex                      text,
  nationality              text,
  ethnicity                text,
  phone                    text,
  permanent_province_code  text,
  permanent_commune_code   text,
  permanent_street_line    text,
  permanent_address_text   text,
  current_province_code    text,
  current_commune_code     text,
  current_street_line      text,
  current_address_text     text,
  deleted                  boolean     NOT NULL DEFAULT false,
  source_agency            text        NOT NULL,
  source_database          text        NOT NULL,
  source_table             text        NOT NULL,
  source_operation         char(1)     NOT NULL,
  source_position          text        NOT NULL,
  source_version           bigint      NOT NULL,
  source_commit_time       timestamptz NOT NULL,
  ingest_time              timestamptz NOT NULL,
  schema_version           text        NOT NULL,
  resolved_personal_id     char(12),
  match_method             text,
  synced_at                timestamptz NOT NULL,
  PRIMARY KEY (source_agency, person_key)
);

COMMENT ON TABLE ndc.person_source IS 'Every agency record as reported (standardized), with the citizen it was linked to; resolved_personal_id null = in review (topic review.person-unmatched). Deleted rows keep their key and lineage.';
COMMENT ON COLUMN ndc.person_source.personal_id IS 'The personal ID the agency reported (null when it reported none).';
COMMENT ON COLUMN ndc.person_source.resolved_personal_id IS 'The citizen the record is linked to; null while it waits in review.';
COMMENT ON COLUMN ndc.person_source.match_method IS 'PERSONAL_ID, FORMER_ID or DEMOGRAPHIC; null while in review.';

-- One row per citizen reported by at least one agency: the merged NDC person, keyed by personal ID.
CREATE TABLE IF NOT EXISTS ndc.person (
  person_key               text PRIMARY KEY,
  personal_id              char(12),
  former_id                char(9),
  full_name                text,
  date_of_birth            date,
  sex                      text,
  nationality              text,
  ethnicity                text,
  phone                    text,
  permanent_province_code  text,
  permanent_commune_code   text,
  permanent_street_line    text,
  permanent_address_text   text,
  current_province_code    text,
  current_commune_code     text,
  current_street_line      text,
  current_address_text     text,
  deleted                  boolean     NOT NULL DEFAULT false,
  source_agency            text        NOT NULL,
  source_database          text        NOT NULL,
  source_table             text        NOT NULL,
  source_operation         char(1)     NOT NULL,
  source_position          text        NOT NULL,
  source_version           bigint      NOT NULL,
  source_commit_time       timestamptz NOT NULL,
  ingest_time              timestamptz NOT NULL,
  schema_version           text        NOT NULL,
  synced_at                timestamptz NOT NULL
);
-- Columns added when ndc.person became the merged record (a store made before keeps working).
ALTER TABLE ndc.person ADD COLUMN IF NOT EXISTS sources text[] NOT NULL DEFAULT '{}';
ALTER TABLE ndc.person ADD COLUMN IF NOT EXISTS match_method text;

COMMENT ON TABLE ndc.person IS 'Canonical persons of the NDC, one per citizen, merged from the agencies listed in sources by survivorship rules; lineage is that of the change that produced the current version (source_version is the merge version). Deleted rows keep their key so an older change can never resurrect them.';
COMMENT ON COLUMN ndc.person.synced_at IS 'When the NDC store applied the current version (clock of the store).';

CREATE OR REPLACE VIEW ndc.person_current AS
  SELECT * FROM ndc.person WHERE NOT deleted;
CREATE OR REPLACE VIEW ndc.person_source_current AS
  SELECT * FROM ndc.person_source WHERE NOT deleted;

-- Analysts read the store through the views of schema ndc_analyst, never its tables: the views
-- leave out every field the data dictionary classifies as sensitive (personal and former ID,
-- ethnicity) and show, in place of an identifier, its pseudonym: a SHA-256 of the identifier keyed
-- with a secret generated once in the store. A pseudonym is stable across restarts and the same
-- for one citizen in both views (person_ref), so analysts can count and join; without the secret,
-- which analysts cannot read, a guessed personal ID cannot be turned into its pseudonym.
CREATE TABLE IF NOT EXISTS ndc.pseudonym_key (
  only_row    boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
  secret      bytea       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- gen_random_uuid draws from the server's strong random source: two give 244 random bits.
INSERT INTO ndc.pseudonym_key (secret)
  VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'))
  ON CONFLICT (only_row) DO NOTHING;
COMMENT ON TABLE ndc.pseudonym_key IS 'The secret of the analysts'' pseudonyms (schema ndc_analyst). Replacing it changes every pseudonym; never grant it to analysts.';

CREATE SCHEMA IF NOT EXISTS ndc_analyst;

-- security_barrier: a function in an analyst's WHERE clause runs only on rows the view shows.
CREATE OR REPLACE VIEW ndc_analyst.person WITH (security_barrier) AS
  SELECT encode(sha256(k.secret || convert_to(p.person_key, 'UTF8')), 'hex') AS person_ref,
         p.full_name, p.date_of_birth, p.sex, p.nationality, p.phone,
         p.permanent_province_code, p.permanent_commune_code, p.permanent_street_line,
         p.permanent_address_text,
         p.current_province_code, p.current_commune_code, p.current_street_line,
         p.current_address_text,
         p.sources, p.match_method,
         p.source_agency, p.source_database, p.source_table, p.source_operation,
         p.source_position, p.source_version, p.source_commit_time, p.ingest_time,
         p.schema_version, p.synced_at
    FROM ndc.person p CROSS JOIN ndc.pseudonym_key k
   WHERE NOT p.deleted;
COMMENT ON VIEW ndc_analyst.person IS 'ndc.person for analysts: current persons, sensitive fields left out, person_ref = pseudonym of the personal ID.';

CREATE OR REPLACE VIEW ndc_analyst.person_source WITH (security_barrier) AS
  SELECT encode(sha256(k.secret || convert_to(s.person_key, 'UTF8')), 'hex') AS record_ref,
         encode(sha256(k.secret || convert_to(s.resolved_personal_id::text, 'UTF8')), 'hex')
           AS person_ref,
         s.full_name, s.date_of_birth, s.sex, s.nationality, s.phone,
         s.permanent_province_code, s.permanent_commune_code, s.permanent_street_line,
         s.permanent_address_text,
         s.current_province_code, s.current_commune_code, s.current_street_line,
         s.current_address_text,
         s.match_method,
         s.source_agency, s.source_database, s.source_table, s.source_operation,
         s.source_position, s.source_version, s.source_commit_time, s.ingest_time,
         s.schema_version, s.synced_at
    FROM ndc.person_source s CROSS JOIN ndc.pseudonym_key k
   WHERE NOT s.deleted;
COMMENT ON VIEW ndc_analyst.person_source IS 'ndc.person_source for analysts: current agency records, sensitive fields left out; record_ref = pseudonym of the record''s key within its agency, person_ref = pseudonym of the linked citizen (null while in review), equal to ndc_analyst.person.person_ref.';

-- The group role ndc_analyst is the database administrator's (k8s/postgres/ndc-postgres.yaml
-- creates it); where it exists, it may read the analyst views and nothing else of the store.
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ndc_analyst') THEN
    GRANT USAGE ON SCHEMA ndc_analyst TO ndc_analyst;
    GRANT SELECT ON ALL TABLES IN SCHEMA ndc_analyst TO ndc_analyst;
  END IF;
END
$$;
