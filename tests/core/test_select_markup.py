"""Selects are written in Python (core/forms.py render_select) with the markup their template
(core/widgets/select.html) writes: the template stays the reference, this test holds them equal."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from zhidao.core.forms import render_select


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "甲"), ("b", "乙")])
    grouped = forms.ChoiceField(
        choices=[("", _("All")), ("经济", [("x", "民营企业"), ("y", "外资企业")]), ("z", "其他")]
    )
    escaped = forms.ChoiceField(choices=[('<"&>', 'A & B <"tag">'), (2025, 2025)])
    many = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二"), (3, "三")], required=False)
    attributes = forms.ChoiceField(
        choices=[("1", "一")],
        widget=forms.Select(attrs={"data-x": '"quoted"', "disabled": True, "hidden": False}),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "b", "grouped": "y", "escaped": '<"&>', "many": ["1", "3"], "attributes": "1"},
    ],
)
def test_python_writes_what_the_template_writes(data):
    form = Everything(data or None)
    template = DjangoTemplates()
    for bound in form:
        widget = bound.field.widget
        context = widget.get_context(bound.html_name, bound.value(), bound.build_widget_attrs({}))
        expected = template.render("core/widgets/select.html", context)
        assert render_select(context["widget"]) == expected
        assert "<option" in expected
