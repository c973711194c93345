from django.db import migrations


def seed(apps, schema_editor):
    from zhidao.holidays.seeding import seed_from_package

    seed_from_package(
        apps.get_model("holidays", "CalendarYear"), apps.get_model("holidays", "CalendarDay")
    )


def unseed(apps, schema_editor):
    from zhidao.holidays.seeding import unseed_package_years

    unseed_package_years(apps.get_model("holidays", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
