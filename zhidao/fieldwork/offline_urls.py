# Owned by the "offline" part of field work; included by fieldwork/urls.py.

urlpatterns: list = []
