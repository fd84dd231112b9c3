"""HTML and text export of a document: the formats, and nothing a crafted document smuggles in."""

from html.parser import HTMLParser

import pytest

from docs_app.html_export import export_html, export_text

ALLOWED = {
    "p": {"class"},
    "br": set(),
    "strong": set(),
    "em": set(),
    "u": set(),
    "s": set(),
    "code": set(),
    "span": {"style"},
    "a": {"href", "rel"},
    "h1": {"class"},
    "h2": {"class"},
    "h3": {"class"},
    "blockquote": {"class"},
    "pre": {"data-language"},
    "ol": set(),
    "ul": {"data-checked"},
    "li": {"class"},
}
SAFE_HREF = ("http://", "https://", "mailto:")


class Inventory(HTMLParser):
    """Collect every tag with its attributes, and the text, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    parser.close()
    return parser


def assert_only_whitelisted(html: str) -> Inventory:
    parsed = inventory(html)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED, tag
        assert set(attrs) <= ALLOWED[tag], (tag, attrs)
        if tag == "a":
            assert attrs["href"].lower().startswith(SAFE_HREF)
            assert attrs["rel"] == "noopener noreferrer"
        if tag == "span":
            assert all(value.strip().startswith("#") for value in style_values(attrs["style"]))
    return parsed


def style_values(style: str) -> list[str]:
    return [declaration.split(":", 1)[1] for declaration in style.split(";")]


def test_plain_paragraphs_and_empty_lines():
    assert export_html([{"insert": "One\n\nTwo\n"}]) == "<p>One</p><p><br></p><p>Two</p>"


def test_text_export_is_the_document_text():
    delta = [{"insert": "Hi ", "attributes": {"bold": True}}, {"insert": "there\n"}]
    assert export_text(delta) == "Hi there\n"


@pytest.mark.parametrize(
    ("attributes", "html"),
    [
        ({"bold": True}, "<strong>x</strong>"),
        ({"italic": True}, "<em>x</em>"),
        ({"underline": True}, "<u>x</u>"),
        ({"strike": True}, "<s>x</s>"),
        ({"code": True}, "<code>x</code>"),
        ({"bold": True, "italic": True}, "<strong><em>x</em></strong>"),
        ({"color": "#ff0000"}, '<span style="color: #ff0000">x</span>'),
        ({"background": "#0f0"}, '<span style="background-color: #0f0">x</span>'),
        (
            {"link": "https://example.org/?a=1&b=2"},
            '<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">x</a>',
        ),
        (
            {"link": "mailto:a@example.org"},
            '<a href="mailto:a@example.org" rel="noopener noreferrer">x</a>',
        ),
    ],
)
def test_inline_formats(attributes, html):
    assert export_html([{"insert": "x", "attributes": attributes}, {"insert": "\n"}]) == (
        f"<p>{html}</p>"
    )


@pytest.mark.parametrize(
    ("attributes", "html"),
    [
        ({"header": 1}, "<h1>x</h1>"),
        ({"header": 3}, "<h3>x</h3>"),
        ({"blockquote": True}, "<blockquote>x</blockquote>"),
        ({"code-block": True}, "<pre>x</pre>"),
        ({"code-block": "python"}, '<pre data-language="python">x</pre>'),
        ({"align": "center"}, '<p class="ql-align-center">x</p>'),
        ({"indent": 2}, '<p class="ql-indent-2">x</p>'),
        ({"header": 2, "align": "right"}, '<h2 class="ql-align-right">x</h2>'),
    ],
)
def test_block_formats_sit_on_the_newline(attributes, html):
    assert export_html([{"insert": "x"}, {"insert": "\n", "attributes": attributes}]) == html


def test_consecutive_list_items_are_grouped_by_kind():
    def item(text, kind, **extra):
        return [{"insert": text}, {"insert": "\n", "attributes": {"list": kind, **extra}}]

    delta = [
        *item("a", "ordered"),
        *item("b", "ordered", indent=1),
        *item("c", "bullet"),
        *item("d", "checked"),
        *item("e", "unchecked"),
        {"insert": "after\n"},
        *item("f", "ordered"),
    ]
    assert export_html(delta) == (
        '<ol><li>a</li><li class="ql-indent-1">b</li></ol><ul><li>c</li></ul>'
        '<ul data-checked="true"><li>d</li></ul><ul data-checked="false"><li>e</li></ul>'
        "<p>after</p><ol><li>f</li></ol>"
    )


def test_consecutive_code_lines_share_one_pre_without_inline_markup():
    delta = [
        {"insert": "if a < b:"},
        {"insert": "\n", "attributes": {"code-block": True}},
        {"insert": "  go()", "attributes": {"bold": True}},
        {"insert": "\n", "attributes": {"code-block": True}},
    ]
    assert export_html(delta) == "<pre>if a &lt; b:\n  go()</pre>"


@pytest.mark.parametrize(
    "delta",
    [
        [{"insert": "<script>alert(1)</script>\n"}],
        [{"insert": "x", "attributes": {"link": "javascript:alert(1)"}}, {"insert": "\n"}],
        [{"insert": "x", "attributes": {"link": " JavaScript:alert(1)"}}, {"insert": "\n"}],
        [{"insert": "x", "attributes": {"link": 'https://a.org/" onclick="alert(1)'}}],
        [{"insert": "x", "attributes": {"link": "https://a.org/'onmouseover='alert(1)"}}],
        [{"insert": "x", "attributes": {"color": 'red;" onclick="alert(1)'}}, {"insert": "\n"}],
        [{"insert": "x", "attributes": {"background": "url(javascript:alert(1))"}}],
        [{"insert": "x", "attributes": {"onclick": "alert(1)", "style": "x"}}, {"insert": "\n"}],
        [{"insert": "x"}, {"insert": "\n", "attributes": {"header": '1 onclick="alert(1)"'}}],
        [{"insert": "x"}, {"insert": "\n", "attributes": {"list": "<script>"}}],
        [{"insert": "x"}, {"insert": "\n", "attributes": {"align": '"><script>'}}],
        [{"insert": "x"}, {"insert": "\n", "attributes": {"indent": '1" onclick="x'}}],
        [{"insert": "x"}, {"insert": "\n", "attributes": {"code-block": '"><img src=x>'}}],
        [{"insert": {"image": "javascript:alert(1)"}}, {"insert": "\n"}],
        [{"insert": "x", "attributes": "not a dict"}, "not an op", {"insert": "\n"}],
        [{"insert": "</p><img src=x onerror=alert(1)>"}],
    ],
)
def test_a_crafted_document_cannot_inject_markup(delta):
    parsed = assert_only_whitelisted(export_html(delta))
    assert "script" not in {tag for tag, _ in parsed.tags}


def test_text_survives_escaping_unchanged():
    text = "<b>\"quotes\" & 'apostrophes'</b>"
    html = export_html([{"insert": text, "attributes": {"bold": True}}, {"insert": "\n"}])
    parsed = assert_only_whitelisted(html)
    assert parsed.text == text
    assert [tag for tag, _ in parsed.tags] == ["p", "strong"]


def test_a_link_with_quotes_stays_inside_its_attribute():
    link = "https://example.org/?q='x'&r=1"
    html = export_html([{"insert": "x", "attributes": {"link": link}}, {"insert": "\n"}])
    assert_only_whitelisted(html)
    assert inventory(html).tags[1] == ("a", {"href": link, "rel": "noopener noreferrer"})
