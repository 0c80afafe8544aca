"""The board's Markdown (announcements, pages) rendered to HTML that is safe to show anyone.

markdown-it-py escapes raw HTML and refuses `javascript:` links itself; nh3 then keeps only
an allow-list of tags, attributes and URL schemes, so a later change of Markdown options cannot
let a script through. One function for every page that shows the board's text.
"""

import re
from functools import cache

import nh3
from markupsafe import Markup


@cache
def _markdown():
    """The parser, built on first use: markdown-it is slow to import and no command needs it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


TAGS = {
    "p", "br", "strong", "em", "s", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# Column alignment as classes (static/style.css): the CSP allows no inline style attributes.
_ALIGN = re.compile(r' style="text-align:(left|center|right)"')
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str | None) -> Markup:
    """Markdown → sanitised HTML. A line break in the text is a line break on the page."""
    html = _ALIGN.sub(r' class="align-\1"', _markdown().render(text or ""))
    # Headings start at h2: the page's own title is the h1.
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes={"th": ALIGN_CLASSES, "td": ALIGN_CLASSES},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(clean)  # sanitised just above


def first_paragraph(text: str | None) -> tuple[Markup, bool]:
    """The first block of the text rendered, and whether more follows (for the list of notices)."""
    blocks = [b for b in (text or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    if not blocks:
        return Markup(""), False
    return render_markdown(blocks[0]), len(blocks) > 1
