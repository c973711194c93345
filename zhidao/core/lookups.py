"""`short_icontains`: "contains" for a search text of one or two characters, served by an index
on PostgreSQL.

A trigram index (pg_trgm) cannot serve LIKE '%吉利%' or '%JL%': a pattern of fewer than three
characters has no trigram, so PostgreSQL reads the whole table for the commonest searches (two
Chinese characters, two initials) — about 45 ms over a province's 100,000 organizations for the
four conditions of "jl". A GIN index on `zhidao_grams(UPPER(column))`, the column's characters and
pairs of neighbouring characters (created by the migrations of the models that declare the column
in `gram_indexed_fields`), finds them by one array containment instead. Anywhere else (SQLite, a
longer text, a column without that index) the lookup is `icontains` as Django writes it.
"""

from django.db.models import CharField, Value
from django.db.models.expressions import Col
from django.db.models.lookups import IContains, Lookup

# The longest text the grams index: a longer one has trigrams, which pg_trgm's indexes serve.
GRAM_LENGTH = 2

# The function and the indexes are created by the migrations of the models that use them
# (zhidao/orgs/migrations/0007_short_search_gram_indexes.py).
GRAMS_FUNCTION = "zhidao_grams"


def _gram_indexed(lhs) -> bool:
    if not isinstance(lhs, Col):
        return False
    field = lhs.target
    return field.name in getattr(field.model, "gram_indexed_fields", ())


@CharField.register_lookup
class ShortIContains(Lookup):
    """`icontains`, served by the grams index for a text of at most GRAM_LENGTH characters."""

    lookup_name = "short_icontains"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        text = self.rhs
        if (
            not isinstance(text, str)
            or not 0 < len(text) <= GRAM_LENGTH
            or not _gram_indexed(self.lhs)
        ):
            return self.as_sql(compiler, connection)
        column, column_params = compiler.compile(self.lhs)
        text_sql, text_params = compiler.compile(Value(text))
        # Exact (GIN's array containment needs no recheck), so no row is read that is not kept.
        sql = f"{GRAMS_FUNCTION}(UPPER({column}::text)) @> ARRAY[UPPER({text_sql}::text)]"
        return sql, (*column_params, *text_params)
