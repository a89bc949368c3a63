#!/bin/bash
# First start of the compose PostgreSQL: the agency source database with its demo table, and the
# registry's database. The NDC store (database "ndc", POSTGRES_DB) needs nothing: the job creates
# its tables.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
CREATE DATABASE civil_registry;
CREATE DATABASE registry;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname civil_registry \
  -f /ndc/connectors/civil-registry/demo-source.sql
# The capture's least-privileged role ndc_cdc, the heartbeat table and the publication.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname civil_registry \
  -f /ndc/connectors/civil-registry/source-setup.sql
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname civil_registry \
  -c "ALTER ROLE ndc_cdc PASSWORD 'ndc_cdc'"
