#!/bin/sh
# The database roles (see the README, "Database roles"). Postgres's image runs this once,
# as its superuser, when the db container first starts on an empty volume
# (/docker-entrypoint-initdb.d); it may be run again, and changes only the passwords.
#
#   case_assessment      owns the database and its tables: migrate runs as it, nothing else
#   case_assessment_app  the web and workers: granted its privileges by grant_app_role
#
# Neither is a superuser, so the audit log's trigger and privileges hold for both,
# and only the owner can TRUNCATE the log, disable its trigger or drop it.
set -eu
: "${POSTGRES_USER:?}" "${POSTGRES_DB:?}"
: "${DB_OWNER_PASSWORD:?set DB_OWNER_PASSWORD}" "${DB_APP_PASSWORD:?set DB_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner=case_assessment -v app=case_assessment_app \
    -v owner_password="$DB_OWNER_PASSWORD" -v app_password="$DB_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'owner')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
ALTER ROLE :"app" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner') \gexec
ALTER SCHEMA public OWNER TO :"owner";
-- Only the owner creates tables; nobody else may even connect unless granted.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app') \gexec
SQL
