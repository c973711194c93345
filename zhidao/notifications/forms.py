from django import forms
from django.utils.translation import gettext_lazy as _


class InboxFilterForm(forms.Form):
    unread = forms.BooleanField(label=_("Unread only"), required=False)
