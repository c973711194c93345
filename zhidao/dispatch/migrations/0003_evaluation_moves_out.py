"""The term-end evaluation moved to its own app (zhidao.evaluation, above field work, reports and
standards whose figures it reads). Only Django's picture of the models moves: the tables stay as
they are and the evaluation app takes them over (its 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0002_evaluation"),
        ("evaluation", "0001_evaluation_from_dispatch"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="evaluationrating", name="evaluation"),
                migrations.RemoveField(model_name="evaluationrating", name="officer"),
                migrations.RemoveField(model_name="evaluationrating", name="union"),
                migrations.DeleteModel(name="Evaluation"),
                migrations.DeleteModel(name="EvaluationRating"),
            ],
            database_operations=[],
        )
    ]
