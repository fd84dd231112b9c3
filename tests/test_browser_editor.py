"""The editor in a real Chromium against a real Daphne: two people typing into
one paragraph, one of them offline for a while, cursors, undo, history, a viewer."""

import asyncio
import re

import pytest

pytest_plugins = ["tests.browser_support"]
# One Chromium and one Daphne serve every browser test (session loop); each makes its documents.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(90),
]


def new_document(stage, title: str, text: str = "", **roles: str) -> str:
    """Create a document of alice's, shared by `roles`, holding `text` (one line)."""
    document_id = stage.api("POST", "documents/", {"title": title})["id"]
    for username, role in roles.items():
        body = {"username": username, "role": role}
        stage.api("POST", f"documents/{document_id}/collaborators/", body)
    if text:
        stage.api("POST", f"documents/{document_id}/ops/", {"rev": 0, "ops": [{"insert": text}]})
    return document_id


async def alice_and_bob(stage, title: str, text: str = ""):
    document_id = new_document(stage, title, text, bob="editor")
    alice, bob = await stage.sign_in("alice"), await stage.sign_in("bob")
    await alice.open_document(document_id)
    await bob.open_document(document_id)
    return document_id, alice, bob


async def cursor_matches(viewer, writer) -> bool:
    """Return whether `viewer` shows `writer`'s caret where `writer`'s own editor has it."""
    shown = await viewer.page.evaluate("cowrite.client.presence.list().map((p) => p.local)")
    return shown == [await writer.page.evaluate("cowrite.quill.getSelection()")]


async def status_matches(writer, pattern: str) -> bool:
    return re.search(pattern, await writer.status()) is not None


async def holds(items: list) -> bool:
    return bool(items)


async def has_text(locator, text: str) -> bool:
    return text in await locator.inner_text()


async def texts_are(writers, text: str) -> bool:
    return all([await writer.text() == text for writer in writers])


async def test_two_writers_in_one_paragraph_converge(stage):
    document_id, alice, bob = await alice_and_bob(stage, "Team notes", "plan")
    await alice.click_end_of_line()
    await alice.page.keyboard.press("Home")
    await bob.click_end_of_line()
    # Both type into the same paragraph at the same moment, at its two ends.
    await asyncio.gather(
        alice.type("Alice drafts the ", delay=10),
        bob.type(" and Bob reviews it.", delay=10),
    )
    text = await stage.converged([alice, bob], document_id)
    assert text == "Alice drafts the plan and Bob reviews it.\n"
    # Each side had to transform the other's ops past its own unconfirmed ones.
    assert (await alice.stats())["concurrentOps"] + (await bob.stats())["concurrentOps"] > 0

    # At the very same spot, bursts of keystrokes interleave (a tie goes to the
    # op the server committed first), but no key is lost, doubled or reordered.
    await alice.page.keyboard.press("End")
    await asyncio.gather(alice.type(" 1234", delay=10), bob.type(" wxyz", delay=10))
    text = await stage.converged([alice, bob], document_id)
    added = text.removeprefix("Alice drafts the plan and Bob reviews it.").removesuffix("\n")
    assert sorted(added) == sorted(" 1234 wxyz"), text
    assert [c for c in added if c.isdigit()] == list("1234"), text
    assert [c for c in added if c.isalpha()] == list("wxyz"), text


async def test_remote_cursors_are_shown_and_kept_in_place(stage):
    document_id, alice, bob = await alice_and_bob(stage, "Cursors", "The plan is simple.")
    await alice.click_end_of_line()
    await bob.click_end_of_line()
    await bob.page.keyboard.press("Home")
    await alice.page.wait_for_selector('#presence-bar .peer[data-user="bob"]')
    await bob.page.wait_for_selector('#presence-bar .peer[data-user="alice"]')
    await alice.page.wait_for_selector(".ql-cursor .ql-cursor-name")
    assert await alice.page.locator(".ql-cursor .ql-cursor-name").all_inner_texts() == ["bob"]
    await stage.eventually(lambda: cursor_matches(alice, bob), "alice sees bob's caret where it is")

    # Alice's insert lands on bob's caret, then bob types: both views agree throughout.
    await alice.page.keyboard.press("Control+Home")
    await alice.type(">> ")
    await stage.converged([alice, bob], document_id)
    assert await cursor_matches(alice, bob)
    await bob.type("Note: ")
    assert await stage.converged([alice, bob], document_id) == "Note: >> The plan is simple.\n"
    await stage.eventually(lambda: cursor_matches(alice, bob), "bob's caret moved with his typing")
    await stage.eventually(lambda: cursor_matches(bob, alice), "bob sees alice's caret where it is")

    await bob.page.keyboard.press("Shift+End")  # a selection, shown highlighted to others
    await alice.page.wait_for_selector(".ql-cursor-selection-block")
    await alice.screenshot("editor_alice_sees_bob")
    # A third person sees both carets, each with its name.
    stage.api(
        "POST", f"documents/{document_id}/collaborators/", {"username": "carol", "role": "viewer"}
    )
    carol = await stage.sign_in("carol")
    await carol.open_document(document_id)
    await carol.page.wait_for_function("document.querySelectorAll('.ql-cursor').length === 2")
    names = await carol.page.locator(".ql-cursor .ql-cursor-name").all_inner_texts()
    assert sorted(names) == ["alice", "bob"]
    await carol.screenshot("editor_carol_sees_alice_and_bob")

    # The owner renames the document; the others see the new title live.
    await alice.page.fill("#doc-title", "Cursors (final)")
    await alice.page.press("#doc-title", "Enter")
    await bob.page.wait_for_function(
        "document.querySelector('#doc-title').textContent === 'Cursors (final)'"
    )
    assert await bob.page.title() == "Cursors (final) · Cowrite"
    assert stage.api("GET", f"documents/{document_id}/")["title"] == "Cursors (final)"


async def test_offline_edits_are_kept_and_sync_once_back(stage):
    document_id, alice, bob = await alice_and_bob(stage, "Offline", "Shared line.")
    await alice.click_end_of_line()
    await bob.click_end_of_line()
    await alice.context.set_offline(True)
    await alice.page.wait_for_selector('#editor-page[data-connection="offline"]')
    await alice.type(" offline-one", delay=5)
    await stage.eventually(
        lambda: status_matches(alice, r"^Offline — edits kept and will sync"),
        "the indicator says the edits are kept",
    )
    await bob.type(" online-bob", delay=5)
    await alice.page.keyboard.press("Enter")
    await alice.type("offline-two", delay=5)
    await bob.wait_saved()
    assert "offline" not in stage.text(document_id)
    await alice.screenshot("editor_offline")
    # Leaving now would lose the edits: the browser asks first (we stay).
    dialogs = []
    alice.page.on("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.dismiss())
    await alice.page.close(run_before_unload=True)
    await stage.eventually(lambda: holds(dialogs), "the page warns before closing")
    assert dialogs == ["beforeunload"]

    await alice.context.set_offline(False)
    text = await stage.converged([alice, bob], document_id)
    for word in ("Shared line.", "offline-one", "offline-two", "online-bob"):
        assert text.count(word) == 1, text
    assert await alice.status() == "Saved"


async def test_shortcuts_and_toolbar_apply_only_formats_the_server_allows(stage):
    document_id = new_document(stage, "Formats")
    alice = await stage.sign_in("alice")
    await alice.open_document(document_id)
    await alice.click_end_of_line()
    await alice.type("Title")
    await alice.page.keyboard.press("Control+Alt+2")
    await alice.page.keyboard.press("End")
    await alice.page.keyboard.press("Enter")
    await alice.page.keyboard.press("Control+b")
    await alice.type("bold")
    await alice.page.keyboard.press("Control+b")
    await alice.type(" site")
    await alice.page.click(".ql-toolbar button.ql-list[value=bullet]")
    await alice.page.keyboard.press("Control+Shift+ArrowLeft")  # selects "site"
    await alice.page.keyboard.press("Control+k")
    await alice.page.fill(".ql-tooltip input[type=text]", "example.com")  # no scheme
    await alice.page.keyboard.press("Enter")
    await stage.converged([alice], document_id)
    content = stage.api("GET", f"documents/{document_id}/content/")["content"]
    assert content == [
        {"insert": "Title"},
        {"insert": "\n", "attributes": {"header": 2}},
        {"insert": "bold", "attributes": {"bold": True}},
        {"insert": " "},
        {"insert": "site", "attributes": {"link": "https://example.com"}},
        {"insert": "\n", "attributes": {"list": "bullet"}},
    ]
    assert not await alice.page.locator(".ql-toolbar .ql-image, .ql-toolbar .ql-font").count()
    await alice.page.click("#shortcuts-button")
    row = alice.page.locator(".shortcuts dt", has_text="Strikethrough")
    assert await row.locator("xpath=following-sibling::dd[1]").inner_text() == "Ctrl+Shift+X"


async def test_undo_takes_back_only_my_own_edits(stage):
    document_id, alice, bob = await alice_and_bob(stage, "Undo", "Start.")
    await alice.click_end_of_line()
    await alice.type(" mine")
    await alice.wait_saved()
    await bob.click_end_of_line()
    await bob.type(" theirs")
    await stage.converged([alice, bob], document_id)
    await alice.page.keyboard.press("Control+z")
    assert await stage.converged([alice, bob], document_id) == "Start. theirs\n"
    await alice.page.keyboard.press("Control+Shift+z")
    assert await stage.converged([alice, bob], document_id) == "Start. mine theirs\n"
    await alice.page.click(".ql-toolbar .ql-undo")  # the toolbar button does the same
    assert await stage.converged([alice, bob], document_id) == "Start. theirs\n"


async def test_history_previews_diffs_and_restores_an_old_revision(stage):
    document_id, alice, bob = await alice_and_bob(stage, "History")
    await alice.click_end_of_line()
    await alice.type("First draft by alice.")
    await stage.converged([alice, bob], document_id)
    await bob.click_end_of_line()
    await bob.page.keyboard.press("Control+a")
    await bob.type("Rewritten by bob.")
    await stage.converged([alice, bob], document_id)

    await alice.page.click("#history-button")
    entries = alice.page.locator(".revision-list button")
    await entries.first.wait_for()
    assert "bob" in await entries.nth(0).inner_text()
    assert "alice" in await entries.nth(1).inner_text()
    await entries.nth(1).click()  # alice's draft, before bob's rewrite
    preview = alice.page.locator(".preview-editor .ql-editor")
    await stage.eventually(
        lambda: has_text(preview, "First draft by alice."), "the preview shows it"
    )
    await alice.page.check(".show-diff")
    await alice.page.wait_for_selector(".preview-editor .ql-editor s")  # struck-out old text
    assert "Rewritten by bob." in await preview.inner_text()
    await alice.screenshot("editor_history_diff")

    await alice.page.click(".restore")
    await alice.page.click(".confirm-dialog button[value=no]")  # asked first; cancelling keeps it
    assert stage.text(document_id) == "Rewritten by bob.\n"
    await alice.page.click(".restore")
    await alice.page.click(".confirm-dialog button[value=yes]")
    await stage.eventually(
        lambda: texts_are([alice, bob], "First draft by alice.\n"), "both show the restored text"
    )
    assert await stage.converged([alice, bob], document_id) == "First draft by alice.\n"


async def test_a_viewer_cannot_type_but_sees_edits_live_on_a_phone(stage):
    document_id = new_document(stage, "Read me", carol="viewer")
    alice, carol = await stage.sign_in("alice"), await stage.sign_in("carol", phone=True)
    await alice.open_document(document_id)
    await carol.open_document(document_id)
    assert await carol.page.get_attribute(".ql-editor", "contenteditable") == "false"
    assert not await carol.page.is_visible(".ql-toolbar")
    assert await carol.page.inner_text("#role-badge") == "View only"
    await carol.page.click(".ql-editor")
    await carol.type("carol was here")
    await alice.click_end_of_line()
    await alice.type("Only alice writes.")
    await stage.converged([alice, carol], document_id)
    assert await carol.text() == "Only alice writes.\n"
    assert await carol.page.inner_text("#word-count") == "3 words · 18 characters"
    assert await carol.sideways_overflow() <= 0, "the editor page scrolls sideways on a phone"
    await carol.screenshot("editor_viewer_phone")
