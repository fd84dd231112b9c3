"""The pages around the editor in a real Chromium: sign in and out, the document
list (create, rename, search, delete), and the share dialog."""

import re

import pytest

pytest_plugins = ["tests.browser_support"]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(90),
]


async def row_titles(page, list_id: str) -> list[str]:
    return await page.locator(f"#{list_id} li a.title").all_inner_texts()


async def test_create_share_rename_and_delete_a_document(stage):
    alice = await stage.sign_in("alice")
    page = alice.page
    await page.fill("#new-document input[name=title]", "Quarterly plan")
    await page.click("#new-document button")
    await page.wait_for_url(re.compile(r"/documents/[0-9a-f-]{36}/$"))
    await alice.wait_connected()
    document_id = page.url.rstrip("/").rsplit("/", 1)[1]

    # Share from the editor: bob as a viewer; a user who does not exist is refused.
    await page.click("#share-button")
    dialog = page.locator(".share-dialog")
    await dialog.locator("input[name=username]").fill("nobody")
    await dialog.locator(".add-collaborator button").click()
    await dialog.locator(".error", has_text="There is no user called nobody").wait_for()
    await dialog.locator("input[name=username]").fill("bob")
    await dialog.locator(".add-collaborator select").select_option("viewer")
    await dialog.locator(".add-collaborator button").click()
    await dialog.locator('.collaborators li[data-username="bob"]').wait_for()
    await alice.screenshot("share_dialog")
    await page.keyboard.press("Escape")

    bob = await stage.sign_in("bob")
    # The list as the API gives it (rows carry the role), not the server-rendered fallback.
    shared = bob.page.locator(f'#shared-documents li[data-id="{document_id}"][data-role]')
    await shared.wait_for()
    assert "alice · viewer" in await shared.inner_text()
    assert not await shared.locator("button").count(), "only the owner gets row actions"

    # Back on the list: rename the document in place.
    await page.goto(f"{stage.server.http_url}/")
    row = page.locator(f'#my-documents li[data-id="{document_id}"][data-role]')
    await row.get_by_role("button", name="Rename").click()
    await row.locator(".rename-input").fill("Q3 plan")
    await row.locator(".rename-input").press("Enter")
    await (
        page.locator(f'#my-documents li[data-id="{document_id}"] a.title')
        .filter(has_text="Q3 plan")
        .wait_for()
    )
    await page.fill("#document-search", "Q3")
    await stage.eventually(
        lambda: titles_are(page, "my-documents", ["Q3 plan"]), "the search keeps the match only"
    )
    await page.fill("#document-search", "")

    # The share dialog from the list: make bob an editor, then take his access away.
    await row.get_by_role("button", name="Share").click()
    bob_row = page.locator('.share-dialog .collaborators li[data-username="bob"]')
    await bob_row.locator("select").select_option("editor")
    await stage.eventually(lambda: role_of(stage, document_id, "bob", "editor"), "bob edits")
    await bob_row.get_by_role("button", name="Remove").click()
    await page.locator(".share-dialog .collaborators li.empty").wait_for()
    await page.keyboard.press("Escape")
    await bob.page.reload()
    await bob.page.wait_for_selector("#documents-page[data-loaded]")
    assert not await bob.page.locator(f'#shared-documents li[data-id="{document_id}"]').count()
    await alice.screenshot("document_list")

    # Delete asks first; cancelling keeps the document.
    await row.get_by_role("button", name="Delete").click()
    await page.click(".confirm-dialog button[value=no]")
    assert stage.api("GET", f"documents/{document_id}/")["title"] == "Q3 plan"
    await row.get_by_role("button", name="Delete").click()
    await page.click(".confirm-dialog button[value=yes]")
    await row.wait_for(state="detached")
    status, _ = stage.server.request(
        "GET", f"/api/documents/{document_id}/", token=stage.tokens["alice"]
    )
    assert status == 404

    await page.click(".signout button")
    await page.wait_for_url(re.compile(r"/accounts/login/"))
    await page.goto(f"{stage.server.http_url}/")
    assert "/accounts/login/" in page.url


async def test_the_document_list_fits_a_phone(stage):
    alice = await stage.sign_in("alice", phone=True)
    await alice.page.wait_for_selector("#documents-page[data-loaded]")
    assert await alice.sideways_overflow() <= 0, "the list scrolls sideways on a phone"
    await alice.screenshot("document_list_phone")


async def titles_are(page, list_id: str, titles: list[str]) -> bool:
    return await row_titles(page, list_id) == titles


async def role_of(stage, document_id: str, username: str, role: str) -> bool:
    collaborators = stage.api("GET", f"documents/{document_id}/collaborators/")["results"]
    return {"username": username, "role": role} in [
        {"username": c["user"]["username"], "role": c["role"]} for c in collaborators
    ]


async def test_an_editor_whose_access_is_removed_is_told_so(stage):
    document_id = stage.api("POST", "documents/", {"title": "Revocable"})["id"]
    body = {"username": "bob", "role": "editor"}
    stage.api("POST", f"documents/{document_id}/collaborators/", body)
    bob = await stage.sign_in("bob")
    await bob.open_document(document_id)
    bob_id = stage.api("GET", f"documents/{document_id}/collaborators/")["results"][0]["user"]
    stage.api("DELETE", f"documents/{document_id}/collaborators/{bob_id['id']}/")
    await bob.page.locator(
        "#save-status", has_text="access to this document was removed"
    ).wait_for()
    assert await bob.page.get_attribute(".ql-editor", "contenteditable") == "false"
