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
