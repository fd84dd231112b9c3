"""Edits over REST: op submission through the ordering service, and restore."""

from unittest import mock

import pytest

from docs_app.models import Revision
from editor import errors
from tests.rest_support import edit, make_cast, write_history

pytestmark = pytest.mark.django_db

HELLO = {"rev": 0, "ops": [{"insert": "Hello"}]}


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def api(cast):
    return cast.client("editor")


def submit(cast, api, body):
    return api.post(cast.url + "ops/", body, format="json")


def test_an_op_is_committed_as_the_next_revision(cast, api):
    response = submit(cast, api, {**HELLO, "cid": "c1"})
    assert response.status_code == 201
    assert response.json() == {"rev": 1, "ops": [{"insert": "Hello"}], "cid": "c1"}
    assert cast.refresh().content == [{"insert": "Hello\n"}]
    revision = Revision.objects.get(document=cast.document, rev=1)
    assert (revision.cid, revision.author) == ("c1", cast.users["editor"])


def test_an_op_without_a_cid_gets_one(cast, api):
    first, second = submit(cast, api, HELLO), submit(cast, api, HELLO)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["cid"] != second.json()["cid"]
    assert cast.refresh().rev == 2


def test_a_cid_already_committed_answers_200_with_the_original(cast, api):
    first = submit(cast, api, {**HELLO, "cid": "once"})
    edit(cast.document, [{"insert": "X"}])
    again = submit(cast, api, {**HELLO, "cid": "once"})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert cast.refresh().rev == 2


def test_an_op_behind_the_document_is_transformed(cast, api):
    edit(cast.document, [{"insert": "abc"}])
    response = submit(cast, api, {"rev": 0, "ops": [{"insert": "X"}]})
    assert response.json() == {"rev": 2, "ops": [{"retain": 3}, {"insert": "X"}], "cid": mock.ANY}
    assert cast.refresh().content == [{"insert": "abcX\n"}]


def test_an_op_reaches_live_editors_through_the_broadcast(cast, api):
    with mock.patch("editor.service.broadcast") as broadcast:
        submit(cast, api, {**HELLO, "cid": "seen"})
    broadcast.assert_called_once()
    assert broadcast.call_args.args[0] == cast.document.pk  # a UUID, as group names expect


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ([{"retain": 99}], "op reaches past the end of the document"),
        ("not a list", "ops must be a list, got str"),
        ([{"insert": "x", "attributes": {"onclick": "x"}}], "format 'onclick' is not allowed"),
        ([{"insert": "x", "attributes": {"link": "javascript:alert(1)"}}], "format 'link' must"),
    ],
)
def test_a_malformed_op_is_400_with_the_ot_message(cast, api, ops, message):
    response = submit(cast, api, {"rev": 0, "ops": ops})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_op"
    assert message in response.json()["detail"]
    assert cast.refresh().rev == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ops": []}, "rev"),
        ({"rev": -1, "ops": []}, "rev"),
        ({"rev": 0}, "ops"),
        ({"rev": 0, "ops": [], "cid": "x" * 65}, "cid"),
        ({"rev": 0, "ops": [], "cid": ""}, "cid"),
    ],
)
def test_a_malformed_request_is_400_naming_the_field(cast, api, body, field):
    response = submit(cast, api, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_an_op_ahead_of_the_document_is_409(cast, api):
    response = submit(cast, api, {"rev": 5, "ops": [{"insert": "x"}]})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Revision 5 is ahead of the document (at 0).",
        "code": "bad_rev",
    }


def test_an_op_too_old_to_transform_is_409(cast, api, settings):
    settings.COWRITE_MAX_TRANSFORM = 1
    edit(cast.document, [{"insert": "a"}])
    edit(cast.document, [{"insert": "b"}])
    response = submit(cast, api, HELLO)
    assert response.status_code == 409
    assert "too old" in response.json()["detail"]


def test_an_op_that_makes_the_document_too_large_is_400(cast, api, settings):
    settings.COWRITE_MAX_DOCUMENT_LENGTH = 3
    response = submit(cast, api, HELLO)
    assert (response.status_code, response.json()["code"]) == (400, "too_large")


def test_storage_failure_is_503_and_commits_nothing(cast, api):
    with mock.patch("editor.service.commit", side_effect=errors.Unavailable()):
        response = submit(cast, api, HELLO)
    assert (response.status_code, response.json()["code"]) == (503, "unavailable")
    assert cast.refresh().rev == 0


def test_restore_commits_a_new_revision_with_the_old_content(cast, api):
    texts = write_history(cast.document)
    response = api.post(cast.url + "restore/", {"rev": 2}, format="json")
    assert response.status_code == 201
    assert response.json()["rev"] == 5
    text = api.get(cast.url + "content/?format=text").json()["content"]
    assert text == texts[2]
    assert list(Revision.objects.filter(document=cast.document).values_list("rev", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert api.get(cast.url + "content/?rev=4&format=text").json()["content"] == texts[4]


def test_restore_is_broadcast_and_idempotent_on_its_cid(cast, api):
    write_history(cast.document)
    with mock.patch("editor.service.broadcast") as broadcast:
        first = api.post(cast.url + "restore/", {"rev": 1, "cid": "r1"}, format="json")
        again = api.post(cast.url + "restore/", {"rev": 1, "cid": "r1"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    broadcast.assert_called_once()


@pytest.mark.parametrize(("body", "status"), [({"rev": 1}, 404), ({"rev": -1}, 400), ({}, 400)])
def test_restore_of_a_missing_revision(cast, api, body, status):
    response = api.post(cast.url + "restore/", body, format="json")
    assert response.status_code == status
    assert cast.refresh().rev == 0
