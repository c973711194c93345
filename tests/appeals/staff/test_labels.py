from django.utils import translation

from zhidao.appeals.models import AppealState


def test_in_progress_state_reads_as_handling_not_as_an_assignment_status():
    with translation.override("zh-hans"):
        assert str(AppealState.IN_PROGRESS.label) == "办理中"
