"""The application's own database role: ordinary work on every table, only add to and read the log.

The trigger of migration 0001 refuses UPDATE and DELETE on the audit log, but a
table's owner may still TRUNCATE it, disable the trigger or drop the table. So
the role that owns the tables (the one `migrate` runs as) is kept for migrations,
and the web and workers connect as another role, granted here, which owns nothing.
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from audit.models import AuditEvent

ORDINARY = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"
SEQUENCES = "USAGE, SELECT"


@transaction.atomic
def app_role_grant(*, role: str) -> dict[str, int | str]:
    """Grant `role` what the application needs, exactly, as the tables' owner; return what.

    Every table: SELECT, INSERT, UPDATE, DELETE; the audit log: SELECT and INSERT
    only; sequences: USAGE and SELECT. Tables and sequences that later migrations
    create get the same by default, and running this again after each `migrate`
    puts back exactly these privileges (it takes away any others first).
    """
    if connection.vendor != "postgresql":
        raise ValidationError("Database roles need Postgres; this database is not.")
    audit_table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_schema(), current_database(), "
            "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
            " AND tablename = %s)",
            [audit_table],
        )
        owner, schema, database, audit_owner = cursor.fetchone()
        cursor.execute(
            "SELECT rolsuper, pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [owner, role],
        )
        found = cursor.fetchone()
        _check(role=role, owner=owner, audit_owner=audit_owner, found=found)
        q = connection.ops.quote_name
        app, schema_name = q(role), q(schema)
        statements = [
            f"GRANT CONNECT ON DATABASE {q(database)} TO {app}",
            f"GRANT USAGE ON SCHEMA {schema_name} TO {app}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_name} FROM {app}",
            f"GRANT {ORDINARY} ON ALL TABLES IN SCHEMA {schema_name} TO {app}",
            f"REVOKE ALL ON {q(audit_table)} FROM {app}",
            f"GRANT {APPEND_ONLY} ON {q(audit_table)} TO {app}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_name} FROM {app}",
            f"GRANT {SEQUENCES} ON ALL SEQUENCES IN SCHEMA {schema_name} TO {app}",
            # For what later migrations create as this owner, until this runs again.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} GRANT {ORDINARY} ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} "
            f"GRANT {SEQUENCES} ON SEQUENCES TO {app}",
        ]
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner = current_user"
        )
        (tables,) = cursor.fetchone()
    return {"role": role, "owner": owner, "tables": tables, "audit_table": audit_table}


def _check(*, role: str, owner: str, audit_owner: str | None, found) -> None:
    if audit_owner is None:
        raise ValidationError("The audit log's table does not exist yet: run migrate first.")
    if audit_owner != owner:
        raise ValidationError(
            f"Run this as the role that owns the tables ({audit_owner}, the one migrate runs "
            f"as), not as {owner}."
        )
    if role == owner:
        raise ValidationError(
            f"{role} owns the tables: the web and workers need a role of their own, which "
            "owns nothing."
        )
    if found is None:
        raise ValidationError(
            f"There is no database role {role}: create it first (in docker compose the db "
            f"container's deploy/postgres-roles.sh does), e.g. CREATE ROLE {role} LOGIN "
            "PASSWORD '...'."
        )
    superuser, member_of_owner = found
    if superuser:
        raise ValidationError(f"{role} is a superuser: Postgres lets it do anything.")
    if member_of_owner:
        raise ValidationError(f"{role} is a member of {owner}, so it may act as the owner.")
