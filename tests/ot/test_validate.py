"""validate, validate_against and validate_document: what the server refuses, and why."""

import pytest

from editor import ot

DOC = [{"insert": "Hi 😀\n"}]  # 6 UTF-16 code units; the emoji spans 3..5


def _refused(ops, base_length=6):
    with pytest.raises(ot.InvalidOp) as caught:
        ot.validate(ops, base_length)
    assert caught.value.code == "invalid_op"
    return caught.value.message


@pytest.mark.parametrize(
    "ops",
    [
        [{"insert": "a"}],
        [{"retain": 2}, {"insert": "ab", "attributes": {"bold": True}}, {"delete": 1}],
        [{"retain": 6, "attributes": {"bold": None, "header": None}}],
        [{"retain": 5}, {"retain": 1, "attributes": {"header": 2, "align": "center"}}],
        [{"retain": 1}, {"insert": "😀中"}],
        [{"delete": 5}],
        [{"retain": 5}, {"delete": 1}, {"insert": "\n"}],
        [],
    ],
)
def test_good_ops_pass(ops):
    ot.validate(ops, 6)
    ot.validate_against(DOC, ops)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("bold", True),
        ("italic", True),
        ("underline", True),
        ("strike", True),
        ("code", True),
        ("link", "https://example.com/a?b=c#d"),
        ("link", "http://example.com"),
        ("link", "mailto:someone@example.com"),
        ("link", "HTTPS://EXAMPLE.COM"),
        ("color", "#abc"),
        ("background", "#A0B1C2"),
        ("header", 1),
        ("header", 3),
        ("list", "ordered"),
        ("list", "bullet"),
        ("list", "checked"),
        ("list", "unchecked"),
        ("blockquote", True),
        ("code-block", True),
        ("code-block", "c++"),
        ("code-block", "javascript"),
        ("align", "center"),
        ("align", "right"),
        ("align", "justify"),
        ("indent", 1),
        ("indent", 8),
    ],
)
def test_allowed_formats_pass(name, value):
    ot.validate([{"insert": "x", "attributes": {name: value}}], 6)
    ot.validate([{"retain": 1, "attributes": {name: value}}], 6)
    ot.validate([{"retain": 1, "attributes": {name: None}}], 6)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("font", "serif", "format 'font' is not allowed"),
        ("bold", False, "format 'bold' must be true (or null), got false"),
        ("bold", 1, "format 'bold' must be true"),
        ("link", "javascript:alert(1)", "must be an http, https or mailto URL"),
        ("link", "ftp://example.com", "must be an http, https or mailto URL"),
        ("link", "https://exa mple.com", "must be an http, https or mailto URL"),
        ("color", "red", "must be a hex colour"),
        ("color", "#abcd", "must be a hex colour"),
        ("background", "rgb(0,0,0)", "must be a hex colour"),
        ("header", 4, "format 'header' must be 1, 2 or 3 (or null), got 4"),
        ("header", True, "format 'header' must be 1, 2 or 3"),
        ("header", "1", "format 'header' must be 1, 2 or 3"),
        ("list", "dashed", "format 'list' must be"),
        ("code-block", "C Sharp", "format 'code-block' must be true or a language name"),
        ("align", "left", "format 'align' must be"),
        ("indent", 0, "format 'indent' must be an integer from 1 to 8"),
        ("indent", 9, "format 'indent' must be an integer from 1 to 8"),
        ("indent", 1.5, "format 'indent' must be an integer from 1 to 8"),
    ],
)
def test_disallowed_formats_are_refused(name, value, message):
    assert message in _refused([{"retain": 1, "attributes": {name: value}}])
    assert message in _refused([{"insert": "x", "attributes": {name: value}}])


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ({"insert": "x"}, "ops must be a list, got dict"),
        (["insert"], "op 0 must be an object, got str"),
        ([{"retain": 1}, {}], "op 1 must have exactly one of insert, retain, delete"),
        ([{"insert": "x", "retain": 1}], "op 0 must have exactly one of insert, retain, delete"),
        ([{"insert": "x", "bold": True}], "op 0 has unknown key 'bold'"),
        ([{"retain": 0}], "op 0: retain must be a positive integer, got 0"),
        ([{"retain": -2}], "op 0: retain must be a positive integer, got -2"),
        ([{"retain": 1.0}], "op 0: retain must be a positive integer, got 1.0"),
        ([{"retain": True}], "op 0: retain must be a positive integer, got true"),
        ([{"delete": "2"}], 'op 0: delete must be a positive integer, got "2"'),
        ([{"delete": False}], "op 0: delete must be a positive integer, got false"),
        ([{"insert": ""}], "op 0: insert must not be an empty string"),
        ([{"insert": 12}], "op 0: insert must be a string, got 12"),
        ([{"insert": None}], "op 0: insert must be a string, got null"),
        ([{"insert": ["a"]}], 'op 0: insert must be a string, got ["a"]'),
        ([{"insert": {"image": "x.png"}}], "op 0: embeds are not supported"),
        ([{"retain": {"image": "x.png"}}], "op 0: embeds are not supported"),
        ([{"insert": "a\ud83d"}], "op 0: text contains a lone surrogate U+D83D"),
        ([{"insert": "\ude00b"}], "op 0: text contains a lone surrogate U+DE00"),
        ([{"delete": 1, "attributes": {"bold": True}}], "op 0: a delete cannot carry attributes"),
        ([{"insert": "x", "attributes": {}}], "op 0: attributes must be a non-empty object"),
        ([{"retain": 1, "attributes": ["bold"]}], "op 0: attributes must be a non-empty object"),
    ],
)
def test_malformed_ops_are_refused(ops, message):
    assert message in _refused(ops)


@pytest.mark.parametrize(
    "ops",
    [[{"retain": 7}], [{"retain": 3}, {"delete": 4}], [{"delete": 2}, {"retain": 5}]],
)
def test_reaching_past_the_end_is_refused(ops):
    message = _refused(ops)
    assert "past the end of the document" in message
    assert "document has 6" in message


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ([{"delete": 6}], "would leave it empty"),
        ([{"retain": 6}, {"insert": "x"}], "would end it with other text"),
        ([{"retain": 5}, {"insert": "x"}, {"delete": 1}], "would end it with other text"),
    ],
)
def test_losing_the_final_newline_is_refused(ops, message):
    assert f"the document must end with a newline; this op {message}" in _refused(ops)
    with pytest.raises(ot.InvalidOp, match=message):
        ot.validate_against(DOC, ops)


def test_deleting_the_last_newline_is_seen_with_the_document():
    ops = [{"retain": 4}, {"delete": 2}]  # would keep half of the emoji
    with pytest.raises(ot.InvalidOp, match="surrogate pair"):
        ot.validate_against(DOC, ops)
    ops = [{"retain": 3}, {"delete": 3}]  # "Hi " ends without a newline
    ot.validate(ops, 6)  # the length alone cannot tell
    with pytest.raises(ot.InvalidOp, match="delete its last newline"):
        ot.validate_against(DOC, ops)
    two_lines = [{"insert": "a\n\n"}]
    ot.validate_against(two_lines, [{"retain": 2}, {"delete": 1}])  # "a\n" is fine


@pytest.mark.parametrize(
    "ops",
    [
        [{"retain": 4}, {"insert": "x"}],
        [{"retain": 4}, {"delete": 1}],
        [{"retain": 3}, {"delete": 1}],
        [{"retain": 4, "attributes": {"bold": True}}],
    ],
)
def test_cutting_a_surrogate_pair_is_refused_against_the_document(ops):
    ot.validate(ops, 6)  # the length alone cannot tell
    with pytest.raises(ot.InvalidOp, match="UTF-16 position 4, inside a surrogate pair"):
        ot.validate_against(DOC, ops)


def test_good_documents_pass():
    ot.validate_document([{"insert": "\n"}])
    ot.validate_document(
        [
            {"insert": "Title"},
            {"insert": "\n", "attributes": {"header": 1}},
            {"insert": "bold 😀", "attributes": {"bold": True}},
            {"insert": "\n"},
        ]
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "a document must be a non-empty list of inserts"),
        ("text\n", "a document must be a non-empty list of inserts"),
        ([{"insert": "a"}], "the document must end with a newline"),
        ([{"insert": "\n"}, {"retain": 1}], "op 1: a document holds only inserts"),
        ([{"insert": "a", "attributes": {"bold": None}}, {"insert": "\n"}], "cannot hold null"),
        ([{"insert": "a", "attributes": {"font": "x"}}, {"insert": "\n"}], "is not allowed"),
        ([{"insert": {"image": "x.png"}}, {"insert": "\n"}], "embeds are not supported"),
        ([{"insert": "\ud83d\n"}], "lone surrogate"),
    ],
)
def test_bad_documents_are_refused(document, message):
    with pytest.raises(ot.InvalidOp, match=message):
        ot.validate_document(document)


def test_the_error_is_a_value_error_with_a_stable_code():
    assert issubclass(ot.InvalidOp, ValueError)
    assert ot.InvalidOp.code == "invalid_op"
