"""The field-work lists' exports, registered by their subpackages (zhidao/core/exports.py)."""

from zhidao.fieldwork.compliance import exports as compliance_exports  # noqa: F401
from zhidao.fieldwork.onsite import exports as onsite_exports  # noqa: F401
from zhidao.fieldwork.records import exports as records_exports  # noqa: F401
