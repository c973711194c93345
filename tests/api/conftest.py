import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def client_for():
    """An API client authenticated by the user's token, as a mobile client is.

    Each request loads the user afresh, so nothing computed in one request (the scope) is
    reused by the next one and query counts stay honest.
    """

    def make(user) -> APIClient:
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
