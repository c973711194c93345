"""The API's resources and the `world` fixture's object that each one shows."""

ENDPOINTS = {
    "federations": "city",
    "organizations": "organization",
    "unions": "union",
    "instructors": "instructor",
    "batches": "batch",
    "assignments": "assignment",
}
ROLES = ["admin", "leader", "instructor_user", "officer"]
# Instructors and union officers work on organizations, not on the federation tree.
FIELD_ROLES = {"instructor_user", "officer"}


def list_url(endpoint: str) -> str:
    return f"/api/{endpoint}/"


def detail_url(endpoint: str, pk: int) -> str:
    return f"/api/{endpoint}/{pk}/"


def row_ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def sees_own(endpoint: str, role: str) -> bool:
    """Whether the role sees its own scope's object of this endpoint at all."""
    return not (endpoint == "federations" and role in FIELD_ROLES)


def lists(endpoint: str, role: str | None) -> bool:
    """Whether the role may open the endpoint's list: the federation tree is the staff's
    (a role without any grant is no staff either)."""
    return not (endpoint == "federations" and (role is None or role in FIELD_ROLES))
