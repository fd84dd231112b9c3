"""The admin: documents worth browsing, read-only history, and a restore that goes through
the ordering service."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model

from docs_app.models import Collaborator, Document, Revision, Snapshot
from tests.rest_support import edit, make_cast, write_history

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/docs_app/document/"


@pytest.fixture
def cast():
    cast = make_cast(title="Quarterly report")
    cast.texts = write_history(cast.document)
    return cast


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("root", password="pw-root-123")


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(document) -> str:
    return f"{CHANGELIST}{document.pk}/change/"


def run_action(admin, documents, **extra):
    data = {"action": "restore_to_revision", "_selected_action": [d.pk for d in documents]}
    return admin.post(CHANGELIST, {**data, **extra}, follow="apply" in extra)


def test_documents_are_searchable_by_title_and_owner(admin, cast):
    Document.objects.create(owner=cast.users["stranger"], title="Holiday plans")
    by_title = admin.get(CHANGELIST + "?q=quarterly").content.decode()
    assert "Quarterly report" in by_title and "Holiday plans" not in by_title
    by_owner = admin.get(CHANGELIST + "?q=stranger").content.decode()
    assert "Holiday plans" in by_owner and "Quarterly report" not in by_owner


def test_documents_filter_by_date(admin, cast):
    changelist = admin.get(CHANGELIST).context["cl"]
    (spec,) = [spec for spec in changelist.filter_specs if spec.field_path == "created_at"]
    today = next(c for c in spec.choices(changelist) if c["display"] == "Today")["query_string"]
    assert admin.get(CHANGELIST + today).context["cl"].result_count == 1
    this_year = cast.document.updated_at.year
    assert admin.get(f"{CHANGELIST}?updated_at__year={this_year}").context["cl"].result_count == 1
    assert admin.get(f"{CHANGELIST}?updated_at__year=2001").context["cl"].result_count == 0


def test_the_change_page_shows_history_a_link_and_an_escaped_preview(admin, cast):
    edit(cast.document, [{"insert": "<script>alert(1)</script>" + "x" * 600}])
    page = admin.get(change_url(cast.document)).content.decode()
    assert "Revisions:" in page and ">5<" in page  # revision count and current revision
    assert f'href="/documents/{cast.document.pk}/"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "x" * 600 not in page  # truncated
    assert 'name="collaborators-0-user"' in page  # the inline


def test_content_and_rev_cannot_be_edited(admin, cast):
    form = admin.get(change_url(cast.document)).context["adminform"].form
    assert "content" not in form.fields and "rev" not in form.fields


def test_saving_the_form_renames_without_overwriting_a_concurrent_edit(
    admin, cast, django_capture_on_commit_callbacks
):
    admin.get(change_url(cast.document))
    edit(cast.document, [{"insert": "!"}])  # committed while the form is open
    data = {
        "title": "Renamed",
        "collaborators-TOTAL_FORMS": "0",
        "collaborators-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    with (
        mock.patch("editor.service.announce_title") as announce,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin.post(change_url(cast.document), data)
    assert response.status_code == 302
    document = cast.refresh()
    assert (document.title, document.rev) == ("Renamed", 5)
    assert document.content[0]["insert"].startswith("!")
    announce.assert_called_once_with(document.pk, "Renamed")


def test_changing_a_collaborator_inline_updates_their_live_access(
    admin, cast, django_capture_on_commit_callbacks
):
    collaborators = list(Collaborator.objects.filter(document=cast.document).order_by("pk"))
    data = {
        "title": cast.document.title,
        "collaborators-TOTAL_FORMS": "2",
        "collaborators-INITIAL_FORMS": "2",
        "_save": "Save",
    }
    for index, collaborator in enumerate(collaborators):
        data |= {
            f"collaborators-{index}-id": collaborator.pk,
            f"collaborators-{index}-document": cast.document.pk,
            f"collaborators-{index}-user": collaborator.user_id,
            f"collaborators-{index}-role": "viewer",
        }
    data["collaborators-1-DELETE"] = "on"
    with (
        mock.patch("editor.service.announce_access_changed") as announce,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert admin.post(change_url(cast.document), data).status_code == 302
    announced = {call.args for call in announce.call_args_list}
    assert announced == {(cast.document.pk, c.user_id) for c in collaborators}


def test_deleting_in_the_admin_closes_live_editors(admin, cast, django_capture_on_commit_callbacks):
    with (
        mock.patch("editor.service.announce_deleted") as announce,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin.post(f"{CHANGELIST}{cast.document.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=cast.document.pk).exists()
    announce.assert_called_once_with(cast.document.pk)


def test_the_restore_action_asks_for_a_revision_first(admin, cast):
    page = run_action(admin, [cast.document])
    assert page.status_code == 200
    assert 'name="rev"' in page.content.decode()
    assert "Quarterly report" in page.content.decode()
    assert cast.refresh().rev == 4


def test_the_restore_action_commits_through_the_ordering_service(admin, admin_user, cast):
    with mock.patch("editor.service.broadcast") as broadcast:
        page = run_action(admin, [cast.document], rev="1", apply="Restore")
    assert "revision 1 restored as revision 5" in page.content.decode()
    document = cast.refresh()
    assert (document.rev, document.content) == (5, [{"insert": cast.texts[1]}])
    assert Revision.objects.get(document=document, rev=5).author == admin_user
    broadcast.assert_called_once()  # live editors see it


@pytest.mark.parametrize(("rev", "message"), [("9", "does not exist"), ("-1", "greater than")])
def test_the_restore_action_reports_a_bad_revision(admin, cast, rev, message):
    page = run_action(admin, [cast.document], rev=rev, apply="Restore")
    assert message in page.content.decode()
    assert cast.refresh().rev == 4


def test_revisions_and_snapshots_are_read_only(admin, cast):
    revision = Revision.objects.filter(document=cast.document).first()
    Snapshot.objects.create(document=cast.document, rev=2, content=[{"insert": "x\n"}])
    for model, row in (("revision", revision), ("snapshot", Snapshot.objects.get())):
        base = f"/admin/docs_app/{model}/"
        assert admin.get(base).status_code == 200
        assert admin.get(base + "add/").status_code == 403
        assert admin.get(f"{base}{row.pk}/change/").status_code == 200  # view only
        assert admin.post(f"{base}{row.pk}/change/", {}).status_code == 403
        assert admin.get(f"{base}{row.pk}/delete/").status_code == 403
    assert Revision.objects.filter(document=cast.document).count() == 4


def test_revisions_filter_by_document_and_author(admin, cast):
    other = Document.objects.create(owner=cast.users["editor"], title="Other")
    edit(other, [{"insert": "x"}], author=cast.users["editor"])
    by_document = admin.get(f"/admin/docs_app/revision/?document__id__exact={other.pk}")
    assert by_document.context["cl"].result_count == 1
    by_author = admin.get(f"/admin/docs_app/revision/?author__id__exact={cast.users['editor'].pk}")
    assert by_author.context["cl"].result_count == 1


def test_a_document_can_be_added_in_the_admin(admin, cast):
    assert admin.get(CHANGELIST + "add/").status_code == 200
    data = {
        "title": "From the admin",
        "owner": cast.users["viewer"].pk,
        "collaborators-TOTAL_FORMS": "0",
        "collaborators-INITIAL_FORMS": "0",
    }
    assert admin.post(CHANGELIST + "add/", data).status_code == 302
    document = Document.objects.get(title="From the admin")
    assert (document.owner, document.rev) == (cast.users["viewer"], 0)
