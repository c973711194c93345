"""Pieces the field-work endpoints share: where a submission was made, and the check that a
submission queued on a phone is sent by the user who queued it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied


class PlaceSerializer(serializers.Serializer):
    """The organization (and, optionally, the assignment) a submission is made at. The check-in
    page sends both as one `place` ("assignment:organization"); the service takes the
    instructor's assignment covering the organization when none is named."""

    place = serializers.CharField(required=False, allow_blank=True, write_only=True)
    assignment = serializers.IntegerField(min_value=1, required=False)
    organization = serializers.IntegerField(min_value=1, required=False)

    def validate(self, data):
        data = super().validate(data)
        place = (data.pop("place", "") or "").strip()
        if place:
            first, _sep, second = place.partition(":")
            if not (first.isdigit() and second.isdigit()):
                raise serializers.ValidationError({"place": [_("Choose a place from the list.")]})
            data["assignment"], data["organization"] = int(first), int(second)
        if not data.get("organization"):
            raise serializers.ValidationError({"organization": [_("Choose the organization.")]})
        return data


class QueuedByAnotherUser(PermissionDenied):
    def __init__(self):
        super().__init__(_("This was saved by another user on this phone."))
        # Set after init: DRF would turn a boolean given to it into the string "True".
        self.detail = {"detail": self.detail, "login": True}


class QueuedByThisUser(permissions.BasePermission):
    """A submission queued on a shared phone by someone else waits until that user logs in:
    sent now it would be stored as the wrong person's."""

    def has_permission(self, request, view) -> bool:
        queued_by = request.headers.get("X-Zhidao-User")
        if request.method in permissions.SAFE_METHODS or not queued_by:
            return True
        if queued_by != str(request.user.pk):
            raise QueuedByAnotherUser()
        return True
