"""The OpenAPI schema is valid and complete, and the interactive docs work offline."""

import json
import re
import uuid
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve

from tests.services import service_unavailable

pytestmark = pytest.mark.django_db

PROTOCOL = Path(__file__).resolve().parent.parent.parent / "shared" / "PROTOCOL.md"
# The REST table of PROTOCOL.md, as (method, path) with path parameters in OpenAPI style.
PROTOCOL_ROUTES = {
    ("POST", "/api/auth/token/"),
    ("GET", "/api/documents/"),
    ("POST", "/api/documents/"),
    ("GET", "/api/documents/{id}/"),
    ("PATCH", "/api/documents/{id}/"),
    ("DELETE", "/api/documents/{id}/"),
    ("GET", "/api/documents/{id}/content/"),
    ("GET", "/api/documents/{id}/revisions/"),
    ("GET", "/api/documents/{id}/diff/"),
    ("POST", "/api/documents/{id}/ops/"),
    ("POST", "/api/documents/{id}/restore/"),
    ("GET", "/api/documents/{id}/collaborators/"),
    ("POST", "/api/documents/{id}/collaborators/"),
    ("DELETE", "/api/documents/{id}/collaborators/{user_id}/"),
    ("GET", "/api/schema/"),
}
TABLE_ROW = re.compile(r"^\| `((?:[A-Z]+ )+)(/api/[^`?\s]*)")


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    """Generate the schema as `manage.py spectacular --validate --fail-on-warn` does."""
    output = StringIO()
    with django_db_blocker.unblock():
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--format=openapi-json", stdout=output
        )
    return json.loads(output.getvalue())


def routes(schema: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in schema["paths"].items() for method in item}


def protocol_table() -> set[tuple[str, str]]:
    rows = set()
    for line in PROTOCOL.read_text().splitlines():
        if match := TABLE_ROW.match(line):
            path = re.sub(r"<(\w+)>", r"{\1}", match[2])
            rows |= {(method, path) for method in match[1].split()}
    return rows


def test_the_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.")


def test_the_schema_is_served(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/documents/{id}/ops/" in json.loads(response.content)["paths"]


def test_every_path_in_the_schema_resolves(schema):
    values = {"id": str(uuid.uuid4()), "user_id": "7"}
    for path in schema["paths"]:
        concrete = re.sub(r"\{(\w+)\}", lambda match: values[match[1]], path)
        resolve(concrete)  # raises Resolver404 for a documented route that does not exist


def test_every_route_of_the_protocol_is_documented(schema):
    assert routes(schema) >= PROTOCOL_ROUTES


def test_the_route_list_matches_the_protocol_table():
    if not PROTOCOL.exists():
        service_unavailable(f"{PROTOCOL} is missing: PROTOCOL.md is not next to the repository")
    assert protocol_table() == PROTOCOL_ROUTES


def test_errors_and_paging_are_documented(schema):
    ops = schema["paths"]["/api/documents/{id}/ops/"]["post"]["responses"]
    assert set(ops) >= {"200", "201", "400", "401", "403", "404", "409"}
    revisions = schema["paths"]["/api/documents/{id}/revisions/"]["get"]
    assert {parameter["name"] for parameter in revisions["parameters"]} >= {"after", "limit"}
    listing = schema["paths"]["/api/documents/"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} >= {
        "owned",
        "shared",
        "search",
        "page",
    }


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])


def test_the_interactive_docs_are_served_entirely_by_the_app(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    parser = Assets()
    parser.feed(html)
    assert len(parser.urls) >= 3  # the Swagger UI bundle, its preset and its stylesheet
    for url in parser.urls:
        assert not urlsplit(url).netloc, url
        assert client.get(url).status_code == 200, url
    assert not re.findall(r"""(?:https?:)?//[\w.-]+\.\w""", html)
    assert "/api/schema/" in html
