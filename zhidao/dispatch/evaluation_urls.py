# Owned by the term-end evaluation part; included by dispatch/urls.py.
from django.urls import path

from zhidao.core.placeholder import placeholder

urlpatterns = [path("evaluations/", placeholder, name="evaluation_list")]
