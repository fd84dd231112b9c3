"""Export a document Delta as plain text or as safe HTML; pure functions, no Django.

Stored content is trusted no further than a client's op: every attribute is
checked again against `ot.FORMATS` here, so a value that slipped into storage
(an unknown attribute, a `javascript:` link, a colour with quotes) is dropped,
and all text and attribute values are escaped.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from itertools import groupby
from typing import Any

from editor.ot import FORMATS

INLINE_TAGS = (("bold", "strong"), ("italic", "em"), ("underline", "u"), ("strike", "s"))
LIST_CONTAINERS = {
    "ordered": ("ol", ""),
    "bullet": ("ul", ""),
    "checked": ("ul", ' data-checked="true"'),
    "unchecked": ("ul", ' data-checked="false"'),
}


@dataclass
class Line:
    """One line of the document: its text runs, and the attributes of its "\\n"."""

    runs: list[tuple[str, dict]] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)


def export_text(delta: list) -> str:
    """Return the document's text; embeds have no text."""
    return "".join(op["insert"] for op in delta if isinstance(op.get("insert"), str))


def export_html(delta: list) -> str:
    """Return the document as HTML made only of whitelisted tags, attributes and values."""
    return "".join(
        render_group(kind, list(lines)) for kind, lines in groupby(lines_of(delta), group)
    )


def allowed(attributes: Any) -> dict:
    """Return the attributes whose name and value `ot.FORMATS` accepts."""
    if not isinstance(attributes, dict):
        return {}
    return {
        name: value
        for name, value in attributes.items()
        if name in FORMATS and value is not None and FORMATS[name][0](value)
    }


def lines_of(delta: list) -> Iterator[Line]:
    line = Line()
    for op in delta:
        text = op.get("insert") if isinstance(op, dict) else None
        if not isinstance(text, str):
            continue
        attributes = allowed(op.get("attributes"))
        *complete, rest = text.split("\n")
        for piece in complete:
            line.runs.append((piece, attributes))
            line.attributes = attributes
            yield line
            line = Line()
        line.runs.append((rest, attributes))
    if any(text for text, _ in line.runs):
        yield line  # stored content without its final newline


def group(line: Line) -> str | None:
    """Return what consecutive lines share a container for (a list kind, code), or None."""
    if "code-block" in line.attributes:
        return "code-block"
    return line.attributes.get("list")


def render_group(kind: str | None, lines: list[Line]) -> str:
    if kind is None:
        return "".join(render_block(line, block_tag(line.attributes)) for line in lines)
    if kind == "code-block":
        return render_code(lines)
    tag, data = LIST_CONTAINERS[kind]
    items = "".join(render_block(line, "li") for line in lines)
    return f"<{tag}{data}>{items}</{tag}>"


def block_tag(attributes: dict) -> str:
    if "header" in attributes:
        return f"h{attributes['header']}"
    return "blockquote" if "blockquote" in attributes else "p"


def render_block(line: Line, tag: str) -> str:
    inline = "".join(render_run(text, attributes) for text, attributes in line.runs if text)
    return f"<{tag}{block_classes(line.attributes)}>{inline or '<br>'}</{tag}>"


def block_classes(attributes: dict) -> str:
    classes = [
        f"ql-{name}-{attributes[name]}" for name in ("align", "indent") if name in attributes
    ]
    return f' class="{escape(" ".join(classes))}"' if classes else ""


def render_code(lines: list[Line]) -> str:
    language = lines[0].attributes["code-block"]
    data = f' data-language="{escape(language)}"' if isinstance(language, str) else ""
    text = "\n".join("".join(text for text, _ in line.runs) for line in lines)
    return f"<pre{data}>{escape(text)}</pre>"


def render_run(text: str, attributes: dict) -> str:
    html = escape(text)
    if attributes.get("code"):
        html = f"<code>{html}</code>"
    for name, tag in reversed(INLINE_TAGS):
        if attributes.get(name):
            html = f"<{tag}>{html}</{tag}>"
    style = colour_style(attributes)
    if style:
        html = f'<span style="{escape(style)}">{html}</span>'
    if "link" in attributes:
        href = escape(attributes["link"])
        html = f'<a href="{href}" rel="noopener noreferrer">{html}</a>'
    return html


def colour_style(attributes: dict) -> str:
    declarations = [
        f"{css}: {attributes[name]}"
        for name, css in (("color", "color"), ("background", "background-color"))
        if name in attributes
    ]
    return "; ".join(declarations)
