"""A document's history over REST: content at any revision, the revision log, diffs."""

from unittest import mock

import pytest

from docs_app.api.pagination import RevisionPagination
from docs_app.models import Revision, Snapshot
from docs_app.op_store import content_at
from editor import ot
from tests.rest_support import make_cast, write_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    cast = make_cast()
    cast.texts = write_history(cast.document)
    return cast


@pytest.fixture
def api(cast):
    return cast.client("viewer")


def test_content_defaults_to_the_latest_revision_as_a_delta(cast, api):
    body = api.get(cast.url + "content/").json()
    assert body == {"rev": 4, "format": "delta", "content": cast.refresh().content}


@pytest.mark.parametrize("rev", [0, 1, 2, 3, 4])
def test_text_at_every_revision(cast, api, rev):
    body = api.get(cast.url + f"content/?rev={rev}&format=text").json()
    assert body == {"rev": rev, "format": "text", "content": cast.texts[rev]}


def test_html_at_an_old_revision(cast, api):
    body = api.get(cast.url + "content/?rev=3&format=html").json()
    assert body == {"rev": 3, "format": "html", "content": "<p><strong>Hello</strong> world</p>"}


def test_content_comes_from_the_nearest_snapshot_not_from_revision_zero(cast, api):
    # Ops below the snapshot are never read: damaging them does not change the answer.
    Snapshot.objects.create(document=cast.document, rev=2, content=[{"insert": "Hello world\n"}])
    Revision.objects.filter(document=cast.document, rev__lte=2).update(ops=[{"retain": 999}])
    body = api.get(cast.url + "content/?rev=3&format=text").json()
    assert body["content"] == "Hello world\n"


def test_a_revision_that_does_not_exist_is_404(cast, api):
    response = api.get(cast.url + "content/?rev=5")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Revision 5 does not exist: the document is at revision 4.",
        "code": "revision_not_found",
    }


@pytest.mark.parametrize(
    ("query", "field"), [("rev=-1", "rev"), ("rev=x", "rev"), ("format=pdf", "format")]
)
def test_bad_content_parameters_are_400(cast, api, query, field):
    response = api.get(cast.url + f"content/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_log_lists_revisions_in_order_with_authors(cast, api):
    Revision.objects.filter(document=cast.document, rev=2).update(author=cast.users["editor"])
    body = api.get(cast.url + "revisions/").json()
    assert body["next"] is None
    assert [revision["rev"] for revision in body["results"]] == [1, 2, 3, 4]
    first, second = body["results"][:2]
    assert set(first) >= {"rev", "ops", "cid", "author", "created_at"}
    assert first["ops"] == [{"insert": "Hello"}]
    assert first["author"] is None
    assert second["author"] == {"id": cast.users["editor"].pk, "username": "editor"}


def test_the_log_pages_with_after_and_limit(cast, api):
    page = api.get(cast.url + "revisions/?after=1&limit=2").json()
    assert [revision["rev"] for revision in page["results"]] == [2, 3]
    assert page["next"].endswith(f"{cast.url}revisions/?after=3&limit=2")
    last = api.get(page["next"]).json()
    assert [revision["rev"] for revision in last["results"]] == [4]
    assert last["next"] is None


def test_the_log_after_the_latest_revision_is_empty(cast, api):
    assert api.get(cast.url + "revisions/?after=4").json() == {"results": [], "next": None}


@mock.patch.object(RevisionPagination, "max_limit", 3)
def test_the_log_caps_the_limit(cast, api):
    page = api.get(cast.url + "revisions/?limit=100").json()
    assert len(page["results"]) == 3
    assert page["next"].endswith("after=3&limit=3")


def test_the_default_limit_is_100_and_the_cap_1000(cast, api):
    Revision.objects.bulk_create(
        Revision(document=cast.document, rev=rev, ops=[], cid=f"bulk-{rev}")
        for rev in range(5, 1100)
    )
    assert len(api.get(cast.url + "revisions/").json()["results"]) == 100
    capped = api.get(cast.url + "revisions/?limit=5000").json()
    assert [revision["rev"] for revision in capped["results"]] == list(range(1, 1001))
    assert capped["next"].endswith("after=1000&limit=1000")


@pytest.mark.parametrize("query", ["after=-1", "limit=0", "limit=x"])
def test_bad_log_parameters_are_400(cast, api, query):
    assert api.get(cast.url + f"revisions/?{query}").status_code == 400


@pytest.mark.parametrize(("start", "end"), [(0, 4), (1, 3), (4, 1), (2, 2)])
def test_the_diff_turns_one_revision_into_the_other(cast, api, start, end):
    body = api.get(cast.url + f"diff/?from={start}&to={end}").json()
    assert (body["from"], body["to"]) == (start, end)
    before = content_at(cast.document.pk, start)
    assert ot.apply(before, body["ops"]) == content_at(cast.document.pk, end)


def test_the_diff_goes_to_the_latest_revision_by_default(cast, api):
    body = api.get(cast.url + "diff/?from=3").json()
    assert (body["from"], body["to"]) == (3, 4)
    assert ot.apply(content_at(cast.document.pk, 3), body["ops"]) == cast.refresh().content


def test_a_diff_to_a_missing_revision_is_404_and_without_from_400(cast, api):
    assert api.get(cast.url + "diff/?from=0&to=9").status_code == 404
    assert api.get(cast.url + "diff/?from=9").status_code == 404
    response = api.get(cast.url + "diff/?to=1")
    assert response.status_code == 400
    assert response.json()["detail"] == "from: This field is required."
