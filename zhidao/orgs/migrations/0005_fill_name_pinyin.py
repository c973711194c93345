"""Fill the full pinyin of the names saved before the field existed (the models fill it on
save, imports and the demo when they write in bulk)."""

from django.db import migrations

from zhidao.core.text import pinyin_full

BATCH = 2000


def fill(apps, schema_editor):
    for model_name in ("Federation", "Organization", "Union"):
        model = apps.get_model("orgs", model_name)
        changed = []
        for row in model.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH):
            row.name_pinyin = pinyin_full(row.name)
            changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["name_pinyin"])
                changed = []
        model.objects.bulk_update(changed, ["name_pinyin"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_name_pinyin")]

    # Going back drops the column (0004), so there is nothing to undo here.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
