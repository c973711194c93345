"""The imports as endpoints, so that other systems can feed zhidao (issue 11).

- `GET /api/imports/<kind>/template/`: the template (.xlsx);
- `POST /api/imports/<kind>/` (multipart: `file`, `dry_run`): check and, when `dry_run` is
  false and no row has an error, import; answers created, updated, unchanged and errors;
- `GET /api/imports/<kind>/export/`: the records of the user's scope in the import's columns.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.core.api import RulesPermission, audited_as
from zhidao.core.workbooks import XLSX_CONTENT_TYPE

from . import services
from .exporting import export_filename, export_workbook
from .kinds import get_kind
from .kinds.base import ImportKind
from .template_workbook import build_template, template_filename
from .views import xlsx_response

KINDS = ("federations", "organizations", "unions", "instructors", "assignments")
KIND_PARAMETER = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=KINDS,
    description="The kind of records; an unknown kind answers 404.",
)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .xlsx workbook (the template's columns) or a .csv.")
    dry_run = serializers.BooleanField(
        default=True,
        help_text=(
            "true (the default): check only, nothing is written. false: import, all rows or none."
        ),
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row number as Excel shows it; 0: the file.")
    column = serializers.CharField(help_text="The column's header; empty for the whole row.")
    message = serializers.CharField(help_text="The reason, in Chinese.")


class AccountSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    username = serializers.CharField()
    password = serializers.CharField(help_text="One-time: it must be changed at the first login.")


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    accounts = AccountSerializer(
        many=True,
        required=False,
        help_text=(
            "Only on a real import (dry_run false) of a kind that creates login accounts "
            "(unions' chairs, instructors): shown in this answer only, never again."
        ),
    )


def _kind(key: str) -> ImportKind:
    kind = get_kind(key)
    if kind is None:
        raise Http404
    return kind


class ImportViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {
        "run": "imports.use_imports",
        "template": "imports.use_imports",
        "export": "imports.use_imports",
    }
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="imports_run",
        parameters=[KIND_PARAMETER],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(
                ImportResultSerializer,
                description=(
                    "Some rows have errors (or the file cannot be read, too large, too many "
                    "rows: one error in row 0): nothing is written, the counts say what the "
                    "file would do."
                ),
            ),
            404: OpenApiResponse(description="Unknown kind."),
        },
        description=(
            "Check a file and, with dry_run=false, import it: all rows or none. Re-importing "
            "the same file changes nothing (all unchanged); a changed row updates the record "
            "it identifies. Admins only, within their subtree."
        ),
    )
    def run(self, request: Request, kind: str) -> Response:
        import_kind = _kind(kind)
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with audited_as(request):
            outcome = services.import_now(
                actor=request.user,
                kind=import_kind,
                upload=serializer.validated_data["file"],
                dry_run=serializer.validated_data["dry_run"],
            )
        body = dict(outcome.summary)
        if outcome.written:
            body["accounts"] = outcome.accounts
        return Response(body, status=400 if body["errors"] else 200)

    @extend_schema(
        operation_id="imports_template",
        parameters=[KIND_PARAMETER],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
        description="The kind's template: headers, an example row, drop-downs, instructions.",
    )
    def template(self, request: Request, kind: str) -> HttpResponse:
        import_kind = _kind(kind)
        return xlsx_response(build_template(import_kind), template_filename(import_kind))

    @extend_schema(
        operation_id="imports_export",
        parameters=[KIND_PARAMETER],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
        description=(
            "The records of the user's scope in the import's columns (re-imports unchanged)."
        ),
    )
    def export(self, request: Request, kind: str) -> HttpResponse:
        import_kind = _kind(kind)
        return xlsx_response(
            export_workbook(import_kind, request.user), export_filename(import_kind, request.user)
        )
