"""Django's PostgreSQL backend, knowing that the partitioned tables' primary key is (id, key).

On PostgreSQL Django groups an aggregate query by the selected primary key alone (every other
column depends on it). The partitioned history tables (zhidao/core/partitions.py) have the
primary key (id, key) in the database while Django's is `id`, so PostgreSQL refuses that GROUP
BY ("must appear in the GROUP BY clause"); for their models Django lists every selected column
instead, which gives the same groups."""

from django.db.backends.postgresql import base, features

from zhidao.core.partitions import BY_TABLE


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model):
        if model._meta.db_table in BY_TABLE:
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
