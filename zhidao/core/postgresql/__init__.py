"""Django's PostgreSQL backend, with one feature narrowed for the partitioned history tables
(base.py). settings.base puts it in ENGINE wherever a DATABASE_URL names PostgreSQL."""
