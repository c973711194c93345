"""Form helpers every app's pages share."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.translation import pgettext_lazy


def add_service_error(
    form: forms.BaseForm, error: ValidationError, aliases: dict | None = None
) -> None:
    """Put a service's error at the field it names (or the form field that stands for it, via
    `aliases`), or above the form when the form has no such field."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


# Django's blank choice in a select (a ModelChoiceField's empty_label, a model field's
# BLANK_CHOICE_DASH): a form field shows 请选择 in its place, a filter 全部 (core.filters).
BLANK_CHOICE_LABEL = "---------"
CHOOSE = pgettext_lazy("empty choice of a form field", "Please choose")


def blank_choice(choices) -> list:
    """A required select's choices that start at 请选择, so nothing is picked by default."""
    return [("", CHOOSE), *choices]


# Stock widget templates replaced by faster ones that write the same markup.
_FASTER_TEMPLATES = {"django/forms/widgets/select.html": "core/widgets/select.html"}


def _text(value) -> str:
    """{{ value }} as a template writes it: localized, then escaped unless already safe."""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attributes(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: ` name="value"`, a bare ` name` for True."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{escape(stringformat(value, "s"))}"')
    return "".join(parts)


def render_select(widget: dict) -> str:
    """core/widgets/select.html, written in Python: the same markup, without a template node per
    option (a province's filter bar draws 137 federations and 122 districts on every page)."""
    parts = [f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(stringformat(option["value"], "s"))}"'
                f"{_attributes(option['attrs'])}>{_text(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips what a template ends with
    return "".join(parts)


# The selects written in Python (render_select) rather than by their template.
_WRITTEN_IN_PYTHON = {"core/widgets/select.html": render_select}


class PromptingRenderer(DjangoTemplates):
    """The form renderer (settings.FORM_RENDERER): every select of every form, whichever app
    declares it, shows 请选择 rather than Django's dashes as its blank choice."""

    def render(self, template_name, context, request=None):
        template_name = _FASTER_TEMPLATES.get(template_name, template_name)
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("optgroups"):
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if option["value"] in ("", None) and option["label"] == BLANK_CHOICE_LABEL:
                        option["label"] = CHOOSE
        write = _WRITTEN_IN_PYTHON.get(template_name)
        if write is not None and isinstance(widget, dict):
            return write(widget)
        return super().render(template_name, context, request=request)
