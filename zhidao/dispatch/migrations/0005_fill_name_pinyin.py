"""Fill the full pinyin of the instructors' names saved before the field existed."""

from django.db import migrations

from zhidao.core.text import pinyin_full


def fill(apps, schema_editor):
    instructor_model = apps.get_model("dispatch", "Instructor")
    instructors = list(instructor_model.objects.only("pk", "name"))
    for instructor in instructors:
        instructor.name_pinyin = pinyin_full(instructor.name)
    instructor_model.objects.bulk_update(instructors, ["name_pinyin"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0004_name_pinyin")]

    # Going back drops the column (0004), so there is nothing to undo here.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
