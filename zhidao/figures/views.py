"""The 统计口径说明 page: how every figure shown anywhere is counted."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .definitions import DEFINITIONS


@login_required
def definitions(request):
    return render(request, "figures/definitions.html", {"definitions": DEFINITIONS})
