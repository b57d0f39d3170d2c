"""Rows written in bulk without building an INSERT per batch in the ORM.

`QuerySet.bulk_create` compiles its SQL value by value: for an import's
thousand articles, their bylines, tags, revisions and follow-up records,
building the statements cost more than the database took to run them. Here
each row's values are prepared once, as the ORM would store them
(`pre_save`, then `get_db_prep_save`), and sent in one round trip: COPY on
PostgreSQL (psycopg 3), `executemany` of one statement elsewhere.

Only for rows whose primary key is set or not needed afterwards (a link
row, a revision, a record of work). Writes send no model signals, as
`bulk_create` does not either.
"""

from contextlib import nullcontext
from datetime import datetime

from django.db import connection, models
from django.utils import timezone

from .text import TextPolicyField


def fields_of(model):
    """The concrete fields a row of `model` is written with, but an automatic
    primary key."""
    pk = model._meta.pk
    return [
        f
        for f in model._meta.concrete_fields
        if not (f is pk and f.get_internal_type() in AUTO_FIELDS)
    ]


AUTO_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField"}


def insert(objs, *, with_pk=False, on_conflict=""):
    """Insert the model instances `objs` (all of one model) in one round trip.

    With `with_pk`, their primary keys (set by the caller) are written too.
    `on_conflict` (an `ON CONFLICT ...` clause) makes it an INSERT on every
    database, COPY taking none. Returns how many rows were sent.
    """
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    fields = fields_of(model)
    if with_pk and meta.pk not in fields:
        fields = [meta.pk, *fields]
    values = [value_of(f) for f in fields]
    rows = [[value(obj) for value in values] for obj in objs]
    return insert_values(model, fields, rows, on_conflict=on_conflict)


def value_of(field):
    """A function giving what `field` of an instance stores: the field's
    `get_db_prep_save(pre_save(...))`, which for each of an import's thousand
    articles went through five or six calls a field.

    Three kinds of field take a shorter way to the same value. A text field
    with a policy (text.py) stores what `pre_save` made of the text: the
    policy, applied there, leaves its own result as it is. A text or integer
    field that prepares values as Django's does, or an integer foreign key,
    stores text (a choice too) or an `int` (that very type: not a bool) or
    None as it is. A date and time field stores an aware datetime as the
    database adapts it. Any other value or field goes the whole way.
    """

    def whole_way(obj):
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    if isinstance(field, TextPolicyField):

        def policy_text(obj):
            value = field.pre_save(obj, True)
            if type(value) is str:
                return value
            return field.get_db_prep_save(value, connection)

        return policy_text
    kind = next((t for base, t in AS_IS.items() if plain(field, base)), None)
    if type(field) is models.ForeignKey:
        kind = int if field.target_field.get_internal_type() in AUTO_FIELDS else None
    if kind is not None:
        attname = field.attname

        def as_is(obj):
            value = getattr(obj, attname)
            if value is None or type(value) is kind:
                return value
            if kind is str and isinstance(value, str):  # a choice: kept as it is
                return value
            return whole_way(obj)

        return as_is
    if plain(field, models.DateTimeField):

        def moment(obj):
            value = field.pre_save(obj, True)  # auto_now and auto_now_add
            if isinstance(value, datetime) and timezone.is_aware(value):
                return connection.ops.adapt_datetimefield_value(value)
            return field.get_db_prep_save(value, connection)

        return moment
    return whole_way


def plain(field, base):
    """Whether `field` is a `base` field that prepares its values as `base`
    does (a rich-text field that only adds a form is)."""
    cls = type(field)
    return issubclass(cls, base) and all(
        getattr(cls, name) is getattr(base, name) for name in PREPARING
    )


PREPARING = ["pre_save", "get_db_prep_save", "get_db_prep_value"]
PREPARING += ["get_prep_value", "to_python"]
# Plain Django fields, and the type of value each stores as it is.
AS_IS = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
}


def insert_values(model, fields, rows, *, on_conflict=""):
    """Insert `rows`, lists of values for `fields` (fields of `model`, or their
    names) as the database takes them, in one round trip, as `insert` does.

    For rows of plain ids (links): no model instance is built for each, and
    no value goes through its field, which a link table's thousands of rows
    per batch would otherwise spend more time on than the database.
    """
    if not rows:
        return 0
    meta = model._meta
    fields = [meta.get_field(f) if isinstance(f, str) else f for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not on_conflict:
            copy_rows(cursor, f"COPY {table} ({columns}) FROM STDIN", rows)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) {on_conflict}",
                rows,
            )
    return len(rows)


def prepared(model, name, value):
    """`value` as field `name` of `model` stores it: for a value many rows of
    `insert_values` share (a batch's time, an empty JSON object), prepared
    once instead of for each row."""
    field = model._meta.get_field(name)
    return field.get_db_prep_save(value, connection)


def copy_rows(cursor, sql, rows):
    """COPY `rows` through a Django cursor (see `as_statement`)."""

    def copy(sql, rows, many, context):
        with context["cursor"].cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    as_statement(cursor, sql, rows, copy, many=True)


def as_statement(cursor, sql, params, executor, *, many=False):
    """Run `executor(sql, params, many, context)` as the Django `cursor`'s
    statement `sql`, for what the cursor cannot send itself (a COPY, a
    statement bound on the server): seen by the connection's execute wrappers
    and query log as one statement (query counts and `assertNumQueries` see
    it)."""
    debug_sql = getattr(cursor, "debug_sql", None)  # when queries are logged
    with debug_sql(sql, params, many=many) if debug_sql else nullcontext():
        return cursor._execute_with_wrappers(sql, params, many, executor=executor)


# A table whose planner statistics were taken when it had a fifth fewer pages
# (or, never analysed, has more than a few) is analysed again before a
# set-based statement is planned on it.
GROWN_BY = 1.2
GROWN_PAGES = 8
GROWN_SQL = """
SELECT relname FROM pg_class
WHERE oid = ANY (%s::regclass[])
    AND pg_relation_size(oid) / current_setting('block_size')::int
        > GREATEST(relpages * %s, relpages + %s)
"""


def analyze_grown(models):
    """On PostgreSQL, ANALYZE the tables of `models` that grew much since the
    planner's statistics of them were taken; returns their names.

    Imports write rows in bulk faster than autovacuum looks (and it may be
    off): a statement planned on an empty table's statistics reads every row
    where an index would have found a few, and a related-links refresh after
    a first import of 1,000 stories took 40 s a chunk instead of a second.
    """
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(GROWN_SQL, [tables, GROWN_BY, GROWN_PAGES])
        grown = [name for (name,) in cursor.fetchall()]
        for name in grown:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return grown
