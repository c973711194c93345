"""The evaluation models, taken over from dispatch with their tables (dispatch_evaluation,
dispatch_evaluationrating): nothing changes in the database but the content types, renamed so
that the audit log's past entries and the permissions follow the models."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("evaluation", "evaluationrating"):
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def rename_content_types(apps, schema_editor):
    _move(apps, "dispatch", "evaluation")


def rename_content_types_back(apps, schema_editor):
    _move(apps, "evaluation", "dispatch")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("dispatch", "0002_evaluation"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0002_trigram_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Evaluation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("finalized", "Finalized")],
                                default="open",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "metrics",
                            models.JSONField(blank=True, default=dict, verbose_name="metrics"),
                        ),
                        (
                            "grade",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("excellent", "Excellent"),
                                    ("competent", "Competent"),
                                    ("basic", "Basically competent"),
                                    ("incompetent", "Incompetent"),
                                ],
                                max_length=16,
                                verbose_name="grade",
                            ),
                        ),
                        (
                            "grade_comments",
                            models.TextField(blank=True, verbose_name="comments on the grade"),
                        ),
                        (
                            "graded_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="graded at"),
                        ),
                        (
                            "finalized_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="finalized at"
                            ),
                        ),
                        (
                            "assignment",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="evaluation",
                                to="dispatch.assignment",
                                verbose_name="assignment",
                            ),
                        ),
                        (
                            "finalized_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "graded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "evaluation",
                        "verbose_name_plural": "evaluations",
                        "db_table": "dispatch_evaluation",
                        "ordering": ["-assignment__starts_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="EvaluationRating",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "satisfaction",
                            models.PositiveSmallIntegerField(verbose_name="satisfaction (1–5)"),
                        ),
                        ("comments", models.TextField(blank=True, verbose_name="comments")),
                        (
                            "rated_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="rated at"),
                        ),
                        (
                            "evaluation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="ratings",
                                to="evaluation.evaluation",
                            ),
                        ),
                        (
                            "officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "union",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="orgs.union",
                                verbose_name="union",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "officer rating",
                        "verbose_name_plural": "officer ratings",
                        "db_table": "dispatch_evaluationrating",
                        "ordering": ["rated_at", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="evaluation",
                    index=models.Index(fields=["status"], name="evaluation_status"),
                ),
                migrations.AddConstraint(
                    model_name="evaluationrating",
                    constraint=models.UniqueConstraint(
                        fields=("evaluation", "officer"), name="unique_evaluation_officer"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="evaluationrating",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("satisfaction__gte", 1), ("satisfaction__lte", 5)),
                        name="rating_satisfaction_1_to_5",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, rename_content_types_back),
    ]
