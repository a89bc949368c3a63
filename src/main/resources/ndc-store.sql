-- NDC store schema for canonical persons. Idempotent: run at every job start.
CREATE SCHEMA IF NOT EXISTS ndc;

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

COMMENT ON TABLE ndc.person IS 'Canonical persons of the NDC; deleted rows keep their key and lineage so an older change can never resurrect them.';
COMMENT ON COLUMN ndc.person.synced_at IS 'When the NDC store applied the current version (clock of the store).';

CREATE OR REPLACE VIEW ndc.person_current AS
  SELECT * FROM ndc.person WHERE NOT deleted;
