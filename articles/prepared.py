"""Queries compiled once: a page's fixed reads, their SQL built once per
process; and a statement PostgreSQL plans once per connection (`planned_once`).

Building a query's SQL (the ORM's compiler: joins, selected columns, the
visibility rule's conditions, converters) costs more than running it on an
index: on the article page, compiling its five reads was most of the
database side of a render. A `PreparedQuery` compiles its queryset once per
database with stand-in values, then runs that SQL with each call's values
and builds the model instances as the queryset would (`select_related`,
deferred fields and annotations included); a `PreparedRows` hands out the
rows of a `values_list()` (the home page's ids and versions). Which rows a
page shows is still its queryset's: `published()` and
`published_condition()` are compiled in, not restated.
"""

from datetime import UTC, datetime

import psycopg
from django.db import connection, connections, router
from django.db.models.query import get_related_populators
from psycopg.types.numeric import Int8Dumper

from . import bulk_rows

# Stand-ins for the values a call fills in: nothing a query compares with.
STAND_INS = {
    int: 2_061_739_125,  # within a 32-bit column's range
    str: "stand-in-2061739125",
    datetime: datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
}


def db_value(connection, value):
    """`value` as the compiler leaves a parameter of its type (SQLite keeps
    datetimes as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class PreparedQuery:
    """`build(**values)`'s queryset of `model`, compiled once, run for any `values`.

    `slots` names each value and its type (int, str or datetime, one value
    of each type); `build` is called once, with a stand-in for each, and every
    parameter equal to a stand-in is where that value goes. A value the SQL
    does not take as a parameter is refused when the query is compiled.
    """

    def __init__(self, model, build, **slots):
        self.model = model
        self.build = build
        self.slots = slots
        self.compiled = {}  # by database alias

    def compile(self, using):
        compiler, compiled = self.compile_sql(using)
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        columns = [s[0] for s in select[: compiler.col_count]]
        return {
            **compiled,
            "own": slice(fields[0], fields[-1] + 1),
            "names": [f[0].target.attname for f in select[fields[0] : fields[-1] + 1]],
            "populators": get_related_populators(klass_info, select, using),
            "annotations": list(compiler.annotation_col_map.items()),
            "converters": list(compiler.get_converters(columns).items()),
        }

    def compile_sql(self, using):
        """The compiler of `build`'s queryset, and {"sql", "params"}: each
        parameter with the name of the value that goes there, or None."""
        stand_ins = {name: STAND_INS[kind] for name, kind in self.slots.items()}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        by_value = {
            db_value(compiler.connection, value): name
            for name, value in stand_ins.items()
        }
        places = [by_value.get(param) for param in params]
        if set(places) - {None} != set(self.slots):
            raise ValueError(f"Not every value is a parameter of: {sql}")
        return compiler, {"sql": sql, "params": list(zip(places, params, strict=True))}

    def compiled_for(self, using):
        return self.compiled.get(using) or self.compiled.setdefault(
            using, self.compile(using)
        )

    def params(self, connection, query, values):
        return [
            param if name is None else db_value(connection, values[name])
            for name, param in query["params"]
        ]

    def __call__(self, **values):
        """The model instances the queryset gives for `values`. One query."""
        using = router.db_for_read(self.model)
        query = self.compiled_for(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(query["sql"], self.params(connection, query, values))
            rows = cursor.fetchall()
        found = []
        for row in map(list, rows):
            for position, (converters, expression) in query["converters"]:
                for convert in converters:
                    row[position] = convert(row[position], expression, connection)
            instance = self.model.from_db(using, query["names"], row[query["own"]])
            for populator in query["populators"]:
                populator.populate(row, instance)
            for name, position in query["annotations"]:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


class PreparedRows(PreparedQuery):
    """A `values_list()` queryset compiled once, its rows as the database's
    driver gives them (no converters: ids, numbers, text), in one query for
    one set of values, or for several (`union`)."""

    def compile(self, using):
        return self.compile_sql(using)[1]

    def __call__(self, **values):
        return self.union([values])

    def union(self, each, order_by=""):
        """The rows for each of the value sets `each`, in one query: the
        compiled SQL once for each (their UNION ALL), then `order_by` (SQL:
        column numbers). Each part sits inside an unsliced SELECT: SQLite
        allows no LIMIT or ORDER BY directly in the parts of a UNION."""
        key = (len(each), order_by)

        def union_sql(query):
            if key == (1, ""):
                return query["sql"]
            if key not in query:
                parts = (
                    f"SELECT * FROM ({query['sql']}) AS part_{n}"
                    for n in range(len(each))
                )
                query[key] = " UNION ALL ".join(parts) + order_by
            return query[key]

        return self.fetch(each, union_sql)

    def fetch(self, each, sql_of, extra=()):
        """The rows of `sql_of(compiled query)` with the parameters of each
        of the value sets `each`, then `extra`."""
        using = router.db_for_read(self.model)
        query = self.compiled_for(using)
        connection = connections[using]
        params = [p for values in each for p in self.params(connection, query, values)]
        with connection.cursor() as cursor:
            cursor.execute(sql_of(query), [*params, *extra])
            return cursor.fetchall()

    def bind(self, **values):
        """The rows for `values`, to be sliced (`rows[start:stop]`, one query
        for the range: what a listing's page reads)."""
        return BoundRows(self, values)


class BoundRows:
    def __init__(self, prepared, values):
        self.prepared = prepared
        self.values = values

    def __getitem__(self, window):
        return self.prepared.fetch(
            [self.values],
            lambda query: query["sql"] + " LIMIT %s OFFSET %s",
            [window.stop - window.start, window.start],
        )


def keep_prefetched(instance, name, objects):
    """`objects` as `instance.<name>.all()`, as `prefetch_related(name)` leaves
    them: the related manager's queryset, already read."""
    manager = getattr(instance, name)
    for obj in objects:
        setattr(obj, manager.field.name, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def planned_once(sql, params):
    """The rows of `sql` (PostgreSQL, `%(name)s` parameters), planned once per
    connection: bound on the server and prepared (psycopg), where the ORM's
    statements are bound on the client and planned each time they run. For a
    statement that costs more to plan than to run. Sent as the default
    connection's Django cursor's statement (`bulk_rows.as_statement`): logged,
    counted and its errors Django's, as any query."""
    with (
        connection.cursor() as cursor,
        psycopg.Cursor(connection.connection) as on_server,
    ):
        # Integers as bigint, whatever their size: the statement is prepared
        # for its parameters' types, which then never change.
        on_server.adapters.register_dumper(int, Int8Dumper)

        def execute(sql, params, many, context):
            with connection.wrap_database_errors:
                on_server.execute(sql, params, prepare=True)

        bulk_rows.as_statement(cursor, sql, params, execute)
        return on_server.fetchall()
