"""Sharing over REST: list, add, change the role of, and remove collaborators."""

from unittest import mock

import pytest

from docs_app.models import Collaborator
from tests.rest_support import make_cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def owner(cast):
    return cast.client("owner")


@pytest.fixture
def announce():
    with mock.patch("editor.service.announce_access_changed") as announce:
        yield announce


def share(cast, api, username, role="viewer"):
    return api.post(
        cast.url + "collaborators/", {"username": username, "role": role}, format="json"
    )


def test_the_list_shows_each_collaborator_with_their_role(cast):
    body = cast.client("viewer").get(cast.url + "collaborators/").json()
    assert body["results"] == [
        {"user": {"id": cast.users["editor"].pk, "username": "editor"}, "role": "editor"},
        {"user": {"id": cast.users["viewer"].pk, "username": "viewer"}, "role": "viewer"},
    ]
    assert body["next"] is None


def test_sharing_answers_201_and_gives_access(
    cast, owner, announce, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = share(cast, owner, "stranger", "editor")
    stranger = cast.users["stranger"]
    assert response.status_code == 201
    assert response.json() == {
        "user": {"id": stranger.pk, "username": "stranger"},
        "role": "editor",
    }
    assert cast.client("stranger").get(cast.url).json()["role"] == "editor"
    announce.assert_called_once_with(cast.document.pk, stranger.pk)


def test_sharing_again_changes_the_role_and_answers_200(
    cast, owner, announce, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = share(cast, owner, "editor", "viewer")
    assert response.status_code == 200
    assert response.json()["role"] == "viewer"
    assert Collaborator.objects.get(user=cast.users["editor"]).role == "viewer"
    announce.assert_called_once_with(cast.document.pk, cast.users["editor"].pk)


@pytest.mark.parametrize(
    ("username", "role", "field", "message"),
    [
        ("nobody", "viewer", "username", "There is no user called nobody."),
        ("owner", "editor", "username", "The owner already has every right"),
        ("stranger", "owner", "role", '"owner" is not a valid choice.'),
        ("stranger", "", "role", '"" is not a valid choice.'),
    ],
)
def test_sharing_with_bad_input_is_400(cast, owner, announce, username, role, field, message):
    response = share(cast, owner, username, role)
    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    assert message in response.json()["detail"]
    assert Collaborator.objects.count() == 2
    announce.assert_not_called()


def test_removing_a_collaborator_answers_204_and_closes_their_editors(
    cast, owner, announce, django_capture_on_commit_callbacks
):
    viewer = cast.users["viewer"]
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.delete(cast.url + f"collaborators/{viewer.pk}/")
    assert response.status_code == 204
    assert cast.client("viewer").get(cast.url).status_code == 404
    announce.assert_called_once_with(cast.document.pk, viewer.pk)


def test_removing_someone_who_is_not_a_collaborator_is_404(cast, owner, announce):
    outsider = make_user("outsider")
    response = owner.delete(cast.url + f"collaborators/{outsider.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    announce.assert_not_called()
