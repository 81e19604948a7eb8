"""The figures' version (`rollup.models.FiguresVersion`) and the triggers that raise it in the
transaction of every write a figure can depend on. Reversible: the triggers are dropped, then
the table; no other data changes."""

from django.db import migrations, models

# Written in bulk (a statement's rows raise the version once on PostgreSQL).
WHOLE_TABLES = [
    "rollup_rolluptotal",
    "rollup_todaytotal",
    "rollup_rolluptotalsstate",
    "rollup_todaytotalsstate",
    "rollup_todayplace",
    "unions_unit",
    "unions_unitclosure",
    "reports_assignment",
    "reports_reportingperiod",
    "targets_programme",
    "targets_indicator",
    "targets_field",
]
# A report counts when approved (in force) and, in provisional figures, when awaiting
# approval; a draft's saves (its version goes up) change no figure.
COUNTING_NEW = "NEW.status IN ('submitted', 'approved') OR NEW.in_force"
COUNTING_OLD = "OLD.status IN ('submitted', 'approved') OR OLD.in_force"
REPORT_MOVED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.in_force IS DISTINCT FROM NEW.in_force"
    " OR OLD.is_latest IS DISTINCT FROM NEW.is_latest OR OLD.unit_id IS DISTINCT FROM NEW.unit_id"
    " OR OLD.period_id IS DISTINCT FROM NEW.period_id"
)
VALUE_COUNTS = (
    "EXISTS (SELECT 1 FROM reports_report r WHERE r.id = {row}.report_id"
    " AND (r.status IN ('submitted', 'approved') OR r.in_force))"
)
BUMP = (
    "INSERT INTO rollup_figuresversion (id, number) VALUES (1, 1)"
    " ON CONFLICT (id) DO UPDATE SET number = rollup_figuresversion.number + 1"
)

# PostgreSQL raises it once a transaction: every UPDATE of one row within a transaction leaves
# a row version the next one steps over (100,000 raises in one transaction took 89 s), and a
# bulk load (a history import, generate_data) writes hundreds of thousands of values. The
# transaction-local setting tells the later triggers of the same transaction it was done.
ONCE = "current_setting('rollup.figures_raised', true) IS DISTINCT FROM 'yes'"
RAISE = f"{BUMP}; PERFORM set_config('rollup.figures_raised', 'yes', true)"
PG_FUNCTION = f"""
CREATE FUNCTION rollup_figures_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {ONCE} THEN {RAISE}; END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION rollup_figures_bump_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {ONCE} THEN
    IF TG_OP = 'DELETE' THEN
      IF {VALUE_COUNTS.format(row="OLD")} THEN {RAISE}; END IF;
    ELSIF {VALUE_COUNTS.format(row="NEW")} THEN {RAISE};
    END IF;
  END IF;
  RETURN NULL;
END $$;
"""


def _pg_create() -> list[str]:
    run = "EXECUTE FUNCTION rollup_figures_bump()"
    sql = [PG_FUNCTION]
    for table in WHOLE_TABLES:
        sql.append(
            f"CREATE TRIGGER figures_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {table} FOR EACH STATEMENT {run}"
        )
    sql += [
        f"CREATE TRIGGER figures_report_i AFTER INSERT ON reports_report FOR EACH ROW"
        f" WHEN ({COUNTING_NEW}) {run}",
        f"CREATE TRIGGER figures_report_u AFTER UPDATE ON reports_report FOR EACH ROW"
        f" WHEN ({REPORT_MOVED}) {run}",
        f"CREATE TRIGGER figures_report_d AFTER DELETE ON reports_report FOR EACH ROW"
        f" WHEN ({COUNTING_OLD}) {run}",
        "CREATE TRIGGER figures_value AFTER INSERT OR UPDATE OR DELETE ON reports_value"
        " FOR EACH ROW EXECUTE FUNCTION rollup_figures_bump_value()",
    ]
    return sql


def _pg_drop() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS figures_{t} ON {t}" for t in WHOLE_TABLES]
    sql += [f"DROP TRIGGER IF EXISTS figures_report_{op} ON reports_report" for op in "iud"]
    sql += [
        "DROP TRIGGER IF EXISTS figures_value ON reports_value",
        "DROP FUNCTION IF EXISTS rollup_figures_bump_value()",
        "DROP FUNCTION IF EXISTS rollup_figures_bump()",
    ]
    return sql


def _sqlite_triggers() -> list[tuple[str, str, str, str]]:
    """(name, event, table, condition) of every trigger: SQLite has row triggers only."""
    found = [
        (f"figures_{table}_{op[0].lower()}", op, table, "")
        for table in WHOLE_TABLES
        for op in ("INSERT", "UPDATE", "DELETE")
    ]
    found += [
        ("figures_report_i", "INSERT", "reports_report", COUNTING_NEW),
        # IS NOT: SQLite's null-safe comparison (IS DISTINCT FROM only since 3.39)
        (
            "figures_report_u",
            "UPDATE",
            "reports_report",
            REPORT_MOVED.replace("IS DISTINCT FROM", "IS NOT"),
        ),
        ("figures_report_d", "DELETE", "reports_report", COUNTING_OLD),
        ("figures_value_i", "INSERT", "reports_value", VALUE_COUNTS.format(row="NEW")),
        ("figures_value_u", "UPDATE", "reports_value", VALUE_COUNTS.format(row="NEW")),
        ("figures_value_d", "DELETE", "reports_value", VALUE_COUNTS.format(row="OLD")),
    ]
    return found


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = _pg_create()
    elif connection.vendor == "sqlite":
        statements = [
            f"CREATE TRIGGER {name} AFTER {event} ON {table}"
            + (f" WHEN {condition}" if condition else "")
            + f" BEGIN {BUMP}; END"
            for name, event, table, condition in _sqlite_triggers()
        ]
    else:
        raise NotImplementedError(connection.vendor)
    for sql in [*statements, "INSERT INTO rollup_figuresversion (id, number) VALUES (1, 1)"]:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = _pg_drop()
    else:
        statements = [f"DROP TRIGGER IF EXISTS {t[0]}" for t in _sqlite_triggers()]
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_period_due_override"),
        ("rollup", "0005_totals_covering_index"),
        ("targets", "0009_registry_counts_as_data"),
        ("unions", "0006_tree_change_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
