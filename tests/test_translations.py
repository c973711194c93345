"""The zh_Hans catalogues. Django merges every app's catalogue into one and, for a message two
apps translate, the app listed first in INSTALLED_APPS wins on every page (Django's own and the
third-party apps included): so one (context, message) has one translation across the apps, and
each message reaches the page as its own catalogue translates it."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from zhidao.fieldwork.models import Finding, PracticalMatter, PracticalMatterStatus
from zhidao.reports.models import QuarterlyReport

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_translations.py"


def _load_check():
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_translations = _load_check()

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def write_catalogue(root: Path, app: str, body: str) -> None:
    folder = root / "zhidao" / app / "locale" / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(PO_HEADER + body, encoding="utf-8")


def test_the_catalogue_check_passes():
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_names_a_message_translated_two_ways_and_the_files(tmp_path):
    write_catalogue(tmp_path, "dispatch", 'msgid "In progress"\nmsgstr "派驻中"\n')
    write_catalogue(
        tmp_path,
        "fieldwork",
        'msgid "In progress"\nmsgstr "推进中"\n\n'
        'msgctxt "practical matter status"\nmsgid "Done"\nmsgstr "已完成"\n',
    )
    write_catalogue(
        tmp_path, "reports", 'msgctxt "practical matter status"\nmsgid "Done"\nmsgstr "已完成"\n'
    )
    [problem] = check_translations.check(tmp_path)
    assert "'In progress' has 2 translations" in problem
    assert "'派驻中' in\n        zhidao/dispatch/locale/zh_Hans/LC_MESSAGES/django.po:" in problem
    assert "'推进中' in\n        zhidao/fieldwork/locale/zh_Hans/LC_MESSAGES/django.po:" in problem


def test_the_check_tells_contexts_apart(tmp_path):
    write_catalogue(
        tmp_path,
        "fieldwork",
        'msgctxt "finding"\nmsgid "due date"\nmsgstr "整改期限"\n\n'
        'msgctxt "report"\nmsgid "due date"\nmsgstr "报送截止日期"\n',
    )
    write_catalogue(tmp_path, "reports", 'msgctxt "report"\nmsgid "due date"\nmsgstr "报送截止"\n')
    [problem] = check_translations.check(tmp_path)
    assert problem.startswith("[report] 'due date' has 2 translations")


def test_the_check_fails_on_fuzzy_and_untranslated_entries(tmp_path):
    write_catalogue(
        tmp_path,
        "orgs",
        '#, fuzzy\n#| msgid "No federation matches."\nmsgid "A federation you administer."\n'
        'msgstr "没有符合条件的工会。"\n\n'
        'msgid ""\n"The federation the new one sits under; "\n"one you administer."\nmsgstr ""\n',
    )
    problems = check_translations.check(tmp_path)
    assert len(problems) == 2
    assert "'A federation you administer.' is fuzzy" in problems[0]
    assert (
        "'The federation the new one sits under; one you administer.' is untranslated"
        in (problems[1])
    )


def _shown(entry) -> str:
    merged = translation.trans_real.translation("zh-hans")
    if entry.plural is not None:
        if entry.context is None:
            return merged.ngettext(entry.msgid, entry.plural, 1)
        return merged.npgettext(entry.context, entry.msgid, entry.plural, 1)
    if entry.context is None:
        return merged.gettext(entry.msgid)
    return merged.pgettext(entry.context, entry.msgid)


def test_every_message_is_shown_as_its_own_catalogue_translates_it():
    """Django's and the third-party catalogues count too: a bare "Breadcrumbs" is 条形导航 from
    django.contrib.admin, which comes first in INSTALLED_APPS."""
    wrong = []
    for path in sorted(ROOT.glob(check_translations.CATALOGUES)):
        for entry in check_translations.parse_po(path):
            if not entry.msgid:
                continue
            shown = _shown(entry)
            if shown != entry.translations[0]:
                app = path.relative_to(ROOT).parts[1]
                wrong.append(f"{app}: {entry.label} shows {shown!r}, not {entry.translations[0]!r}")
    assert wrong == []


# The bugs the catalogues caused, on the pages.


@pytest.fixture
def _on_a_working_day():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def test_a_practical_matter_in_progress_is_not_shown_as_an_assignment_on_site(
    client, world, _on_a_working_day
):
    side = world["mine"]
    PracticalMatter.objects.create(
        assignment=side["assignment"],
        organization=side["organization"],
        title="户外劳动者驿站",
        beneficiary="workers",
        category="rest_station",
        status=PracticalMatterStatus.IN_PROGRESS,
    )
    client.force_login(side["instructor_user"])
    html = client.get(
        reverse("fieldwork:practical_matter_list"), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert "户外劳动者驿站" in html
    assert "推进中" in html
    assert "派驻中" not in html


def test_a_report_due_date_is_the_reporting_deadline_not_a_rectification_deadline():
    with translation.override("zh-hans"):
        assert str(QuarterlyReport._meta.get_field("due_on").verbose_name) == "报送截止日期"
        assert str(Finding._meta.get_field("due_on").verbose_name) == "整改期限"


def test_the_dashboard_filter_button_says_search(client, world, _on_a_working_day):
    client.force_login(world["mine"]["admin"])
    html = client.get(
        reverse("core:federation_dashboard"), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert '<button type="submit" class="button">查询</button>' in html
    assert "显示范围" not in html
