"""The API's exception handler: a service's ValidationError, wherever it is raised, is a 400
with its messages at the fields they name; PermissionDenied is a 403 with its reason."""

from django.core.exceptions import PermissionDenied, ValidationError

from zhidao.core.api import exception_handler


def test_a_validation_error_with_fields_is_a_400_at_those_fields():
    response = exception_handler(ValidationError({"quarter": "请选择1至4季度。"}), {})
    assert response.status_code == 400
    assert response.data == {"quarter": ["请选择1至4季度。"]}


def test_a_validation_error_about_the_whole_request_is_a_400_without_a_field():
    response = exception_handler(ValidationError("该诉求当前状态下无法执行此操作。"), {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["该诉求当前状态下无法执行此操作。"]}


def test_permission_denied_is_a_403_with_its_reason():
    response = exception_handler(PermissionDenied("该活动不面向您。"), {})
    assert response.status_code == 403
    assert response.data == {"detail": "该活动不面向您。"}
