"""Forms of the standardization pages: display and field checks; saving goes through services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.dispatch.forms import DateInput
from zhidao.fieldwork.records.forms import FilesField

from .models import (
    ActivityKind,
    AssessmentKind,
    HonourLevel,
    HonourRecipient,
    HonourTitle,
    Indicator,
    RuleKind,
)

YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
EVIDENCE_ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx"


class AssessmentForm(forms.Form):
    """One answer field, one note and one evidence field per indicator of the set."""

    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=AssessmentKind.choices)
    assessed_on = forms.DateField(label=_("Date of assessment"), widget=DateInput())
    notes = forms.CharField(
        label=_("Overall remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["assessed_on"].initial = timezone.localdate()
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            if indicator.rule == RuleKind.YES_NO:
                field = forms.ChoiceField(
                    label=indicator.text, choices=YES_NO_CHOICES, widget=forms.RadioSelect
                )
            elif indicator.rule == RuleKind.LEVEL:
                field = forms.TypedChoiceField(
                    label=indicator.text,
                    coerce=int,
                    choices=[(str(i), label) for i, label in enumerate(indicator.level_labels)],
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.DecimalField(
                    label=f"{indicator.text}（{indicator.unit}）"
                    if indicator.unit
                    else indicator.text,
                    min_value=0,
                    max_digits=12,
                    decimal_places=2,
                )
            self.fields[name] = field
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )
            self.fields[f"evidence_{indicator.pk}"] = FilesField(
                label=_("Evidence (photos or documents)"), accept=EVIDENCE_ACCEPT
            )

    def rows(self):
        """(category name, [(answer, note, evidence bound fields)]) in the set's order."""
        grouped: list[tuple[str, list]] = []
        for indicator in self.indicators:
            if not grouped or grouped[-1][0] != indicator.category.name:
                grouped.append((indicator.category.name, []))
            grouped[-1][1].append(
                {
                    "indicator": indicator,
                    "answer": self[f"indicator_{indicator.pk}"],
                    "note": self[f"note_{indicator.pk}"],
                    "evidence": self[f"evidence_{indicator.pk}"],
                }
            )
        return grouped

    def answers(self) -> dict[int, dict]:
        data = self.cleaned_data
        answers = {}
        for indicator in self.indicators:
            value = data.get(f"indicator_{indicator.pk}")
            answer = {
                "note": data.get(f"note_{indicator.pk}", ""),
                "files": data.get(f"evidence_{indicator.pk}") or [],
            }
            if indicator.rule == RuleKind.YES_NO:
                answer["yes"] = value == "yes"
            elif indicator.rule == RuleKind.LEVEL:
                answer["level"] = value
            else:
                answer["number"] = value
            answers[indicator.pk] = answer
        return answers


class IndicatorSetVersionForm(forms.Form):
    """The editable parts of each indicator: text and weight (rules are kept)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    notes = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, structure: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        for c, category in enumerate(structure):
            self.fields[f"category_{c}"] = forms.CharField(
                label=_("Category"), max_length=100, initial=category["name"]
            )
            for i, indicator in enumerate(category["indicators"]):
                self.fields[f"text_{c}_{i}"] = forms.CharField(
                    label=_("Indicator"), max_length=255, initial=indicator["text"]
                )
                self.fields[f"weight_{c}_{i}"] = forms.DecimalField(
                    label=_("Weight"),
                    min_value=0,
                    max_digits=6,
                    decimal_places=2,
                    initial=indicator["weight"],
                )
                self.fields[f"keep_{c}_{i}"] = forms.BooleanField(
                    label=_("Keep"), required=False, initial=True
                )

    def rows(self):
        for c, category in enumerate(self.structure):
            yield (
                self[f"category_{c}"],
                [
                    {
                        "indicator": indicator,
                        "text": self[f"text_{c}_{i}"],
                        "weight": self[f"weight_{c}_{i}"],
                        "keep": self[f"keep_{c}_{i}"],
                    }
                    for i, indicator in enumerate(category["indicators"])
                ],
            )

    def categories(self) -> list[dict]:
        data = self.cleaned_data
        result = []
        for c, category in enumerate(self.structure):
            indicators = []
            for i, indicator in enumerate(category["indicators"]):
                if not data.get(f"keep_{c}_{i}"):
                    continue
                changed = dict(indicator)
                changed["text"] = data[f"text_{c}_{i}"]
                changed["weight"] = data[f"weight_{c}_{i}"]
                indicators.append(changed)
            if indicators:
                result.append({"name": data[f"category_{c}"], "indicators": indicators})
        return result


class HonourForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=None)
    title = forms.ModelChoiceField(label=pgettext_lazy("honour", "Title"), queryset=None)
    level = forms.ChoiceField(label=_("Level"), choices=HonourLevel.choices)
    awarded_on = forms.DateField(
        label=_("Date awarded"), initial=timezone.localdate, widget=DateInput()
    )
    person_name = forms.CharField(
        label=_("Person honoured"),
        required=False,
        max_length=50,
        help_text=_("For a worker's honour: the worker's name."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=255)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["title"].queryset = HonourTitle.objects.filter(is_active=True)


class HonourTitleForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("honour", "Title"), max_length=100)
    recipient = forms.ChoiceField(label=_("Awarded to"), choices=HonourRecipient.choices)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class ActivityForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=None)
    kind = forms.ChoiceField(label=pgettext_lazy("standards", "Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=pgettext_lazy("activity", "Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    participant_count = forms.IntegerField(
        label=pgettext_lazy("activity", "Participants"), min_value=0
    )
    report = forms.CharField(
        label=_("Short report"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = FilesField(label=_("Photos"), accept="image/*")

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
