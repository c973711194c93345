from django.db import migrations

from zhidao.standards.defaults import DEFAULT_SET_NAME, seed_default_indicator_set

DEFAULT_HONOUR_TITLES = [
    ("模范职工之家", "union"),
    ("模范职工小家", "union"),
    ("工人先锋号", "union"),
    ("五一劳动奖状", "union"),
    ("芙蓉百岗明星", "worker"),
    ("五一劳动奖章", "worker"),
    ("劳动模范", "worker"),
    ("优秀工会工作者", "worker"),
]


def seed(apps, schema_editor):
    seed_default_indicator_set(
        apps.get_model("standards", "IndicatorSet"),
        apps.get_model("standards", "IndicatorCategory"),
        apps.get_model("standards", "Indicator"),
    )
    HonourTitle = apps.get_model("standards", "HonourTitle")
    for position, (name, recipient) in enumerate(DEFAULT_HONOUR_TITLES):
        HonourTitle.objects.get_or_create(
            name=name, defaults={"recipient": recipient, "position": position}
        )


def unseed(apps, schema_editor):
    IndicatorSet = apps.get_model("standards", "IndicatorSet")
    IndicatorSet.objects.filter(
        federation__isnull=True, name=DEFAULT_SET_NAME, assessments__isnull=True
    ).delete()
    apps.get_model("standards", "HonourTitle").objects.filter(
        name__in=[name for name, _recipient in DEFAULT_HONOUR_TITLES], honours__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
