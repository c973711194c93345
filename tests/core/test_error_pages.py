"""Error answers: under /api/ in the API's JSON, elsewhere the HTML page."""

from rest_framework.test import APIClient


def test_an_unmatched_api_address_is_a_json_404_and_a_page_stays_html(client, db):
    api_response = APIClient().get("/api/public/tickets/%C2%84/")
    assert api_response.status_code == 404
    assert api_response["Content-Type"] == "application/json"
    assert "detail" in api_response.json()
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
