"""Check the apps' zh_Hans catalogues against each other (run from the checkout; stdlib only):

    .venv/bin/python scripts/check_translations.py

Django merges every app's catalogue into one, and for a message two apps translate, the app
listed first in INSTALLED_APPS wins on every page: a label that means one thing in one room and
another thing in the next must carry a context (STYLE.md, habit 12). So this fails (exit 1) when

- one (context, msgid) has two different translations in two catalogues,
- an entry is untranslated or marked fuzzy (gettext would show the English, or a guess),
- a compiled django.mo does not hold what its django.po says (compilemessages was not run).
"""

import ast
import gettext
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = "zhidao/*/locale/zh_Hans/LC_MESSAGES/django.po"


@dataclass
class Entry:
    line: int
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    translations: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def label(self) -> str:
        context = f"[{self.context}] " if self.context is not None else ""
        return f"{context}{self.msgid!r}"


def _unquote(text: str) -> str:
    # A PO string is a C string in double quotes; Python's literal syntax reads the same escapes.
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    """The file's live entries (obsolete "#~" ones left out), header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("", 0)  # the string a continuation line extends

    def finish() -> None:
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            finish()
            continue
        if line.startswith('"'):
            if entry is None:
                raise ValueError(f"{path}:{number}: a string continues nothing")
            _append(entry, *target, _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        # A comment, a context or an id after the translation starts the next entry.
        if entry is not None and entry.translations and not keyword.startswith("msgstr"):
            finish()
        entry = entry or Entry(line=number)
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            continue
        value = _unquote(rest)
        if keyword == "msgctxt":
            entry.context, target = value, ("msgctxt", 0)
        elif keyword == "msgid":
            entry.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.plural, target = value, ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.translations[0], target = value, ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[len("msgstr[") : -1])
            entry.translations[index], target = value, ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    finish()
    return entries


def _append(entry: Entry, kind: str, index: int, text: str) -> None:
    if kind == "msgctxt":
        entry.context = (entry.context or "") + text
    elif kind == "msgid":
        entry.msgid += text
    elif kind == "msgid_plural":
        entry.plural = (entry.plural or "") + text
    else:
        entry.translations[index] += text


def _compiled_mismatches(po_path: Path, entries: list[Entry]) -> list[str]:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path.relative_to(ROOT)}: missing (run compilemessages)"]
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    problems = []
    for entry in entries:
        if not entry.msgid or "fuzzy" in entry.flags:
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        for index, text in entry.translations.items():
            key = (msgid, index) if entry.plural is not None else msgid
            if text and compiled.get(key) != text:
                problems.append(
                    f"{mo_path.relative_to(ROOT)}: {entry.label} is not compiled as in the .po "
                    "(run compilemessages)"
                )
                break
    return problems


def check(root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    # (context, msgid) -> translation -> where
    seen: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for path in sorted(root.glob(CATALOGUES)):
        where_file = str(path.relative_to(root))
        entries = parse_po(path)
        for entry in entries:
            if not entry.msgid:
                continue  # the header
            where = f"{where_file}:{entry.line}"
            if "fuzzy" in entry.flags:
                problems.append(f"{where}: {entry.label} is fuzzy")
                continue  # a guess: no use comparing it
            if not entry.translations or not all(entry.translations.values()):
                problems.append(f"{where}: {entry.label} is untranslated")
                continue
            translation = tuple(entry.translations[index] for index in sorted(entry.translations))
            used_in = " ".join(entry.references[:3]) + (" …" if len(entry.references) > 3 else "")
            seen[entry.key][translation].append(f"{where} ({used_in})" if used_in else where)
        if root == ROOT:
            problems.extend(_compiled_mismatches(path, entries))
    for (context, msgid), translations in sorted(
        seen.items(), key=lambda item: (item[0][1], item[0][0] or "")
    ):
        if len(translations) < 2:
            continue
        label = f"[{context}] {msgid!r}" if context is not None else repr(msgid)
        lines = [f"{label} has {len(translations)} translations:"]
        for translation, places in translations.items():
            lines.append(f"    {' | '.join(translation)!r} in")
            lines.extend(f"        {place}" for place in places)
        problems.append("\n".join(lines))
    return problems


def main() -> int:
    problems = check()
    if problems:
        print("\n".join(problems))
        print(
            f"\n{len(problems)} problem(s) in the zh_Hans catalogues. Where one English label "
            "means different things, give the call sites a context (pgettext, "
            '{% translate "..." context "..." %}); where it means the same, make the '
            "translations agree; then makemessages and compilemessages.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
