"""Announcements, pages and documents edited from the browser, as a visitor then sees them."""

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import PDF, audit_actions, odt_bytes, page_text, xlsx_bytes

ATTACKS = "\n\n".join(
    [
        "Обычный **жирный** текст и [сайт района](https://example.ru/news).",
        "<script>alert('script')</script>",
        "[ссылка](javascript:alert('md'))",
        "[ссылка2](JaVaScRiPt:alert('case'))",
        "<javascript:alert('autolink')>",
        "<a href=\"javascript:alert('html')\">html-ссылка</a>",
        "<img src=x onerror=alert('img')>",
        "![картинка](x\" onerror=\"alert('attr'))",
        "<svg onload=alert('svg')></svg>",
    ]
)


class Tags(HTMLParser):
    """Every tag and attribute the browser would build from the page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.scripts: list[str] = []  # the src of each <script>, "" when inline

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")


def parse(response) -> Tags:
    parser = Tags()
    parser.feed(response.get_data(as_text=True))
    return parser


def assert_no_code(response) -> None:
    page = parse(response)
    assert page.scripts == ["/static/menu.js"]  # the site's own menu script, nothing from the text
    assert "svg" not in page.tags and "img" not in page.tags
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    hrefs = [value for name, value in page.attributes if name in ("href", "src")]
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]


def new_announcement(client, **fields):
    data = {"title": "Вывоз мусора", "body": "По вторникам.", "is_public": "y", "published": "y"}
    data.update(fields)
    return client.post("/admin/announcements/new", data={k: v for k, v in data.items() if v is not None})


def test_announcement_markdown_is_sanitised_for_visitors(app, client, accounts):
    board = accounts.staff("board")
    assert new_announcement(board, title="Проверка", body=ATTACKS).status_code == 302

    for response in (client.get("/"), client.get("/announcements/1")):
        assert response.status_code == 200
        assert_no_code(response)
    full = client.get("/announcements/1")
    html = full.get_data(as_text=True)
    assert "<strong>жирный</strong>" in html
    assert '<a href="https://example.ru/news" rel="noopener noreferrer nofollow">сайт района</a>' in html
    # What was code is shown as harmless text, so the board sees what it typed.
    assert "<script>alert('script')</script>" in page_text(full)


def test_draft_publish_pin_and_members_only(app, client, reference, accounts):
    board = accounts.staff("board")
    response = new_announcement(board, title="Черновик сметы", published=None)
    assert response.status_code == 302
    assert "Черновик сметы" not in page_text(client.get("/"))
    assert "черновик" in page_text(board.get("/admin/announcements/"))

    board.post(
        "/admin/announcements/1/edit",
        data={"title": "Проект сметы", "body": "Для членов.", "published": "y", "pinned": "y"},
    )
    assert "Проект сметы" not in page_text(client.get("/"))  # members only: not ticked public
    assert "Проект сметы · закреплено" not in page_text(client.get("/"))
    member = accounts.member("269", "orlova269@example.ru")  # a verified plot: a member (issue 11)
    text = page_text(member.get("/"))
    assert "Проект сметы" in text and "закреплено" in text and "для членов товарищества" in text

    board.post("/admin/announcements/1/delete")
    assert "Проект сметы" not in page_text(member.get("/"))
    assert audit_actions(app) == [
        "account.create",
        "announcement.create",
        "announcement.edit",
        "announcement.publish",
        "announcement.delete",
    ]


def test_announcement_form_errors_and_preview(app, client, accounts):
    board = accounts.staff("board")
    response = new_announcement(board, title="", body="")
    assert response.status_code == 422
    text = page_text(response)
    assert "Напишите заголовок." in text and "Напишите текст объявления." in text

    preview = new_announcement(board, body="**Важно**", preview="Предпросмотр")
    assert preview.status_code == 200
    assert "<strong>Важно</strong>" in preview.get_data(as_text=True)
    assert "Вывоз мусора" not in page_text(client.get("/"))  # a preview saves nothing


def test_board_page_edited_in_place(app, client, accounts):
    board = accounts.staff("board")
    assert 'href="/admin/pages/board"' in board.get("/page/board").get_data(as_text=True)
    assert 'href="/admin/pages/board"' not in client.get("/page/board").get_data(as_text=True)
    body = "- **Председатель** — Смирнов А. П., 8 916 000-00-00\n- **Казначей** — Кузнецова О. И.\n\n<script>x()</script>"
    response = board.post("/admin/pages/board", data={"body": body})
    assert response.status_code == 302 and response.headers["Location"] == "/page/board"
    page = client.get("/page/board")
    assert "<li><strong>Председатель</strong> — Смирнов А. П., 8 916 000-00-00</li>" in page.get_data(
        as_text=True
    )
    assert_no_code(page)
    board.post("/admin/pages/contacts", data={"body": "Приём по субботам.\nТелефон: 8 916 000-00-00"})
    assert "Приём по субботам.<br>" in client.get("/contacts").get_data(as_text=True)
    assert audit_actions(app)[-2:] == ["page.edit", "page.edit"]
    assert board.get("/admin/pages/nonsense").status_code == 404


def upload(client, content: bytes, filename: str, category="charter", visibility="public", title=""):
    data = {
        "file": (io.BytesIO(content), filename),
        "title": title,
        "category": category,
        "visibility": visibility,
    }
    return client.post("/admin/documents/", data=data, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "documents"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_documents_public_and_members_only(app, client, accounts, reference):
    board = accounts.staff("board")
    assert upload(board, PDF, "Устав СНТ.pdf", title="Устав 2019").status_code == 302
    assert (
        upload(board, xlsx_bytes(), "smeta-2022.xlsx", category="budget", visibility="members").status_code
        == 302
    )
    assert upload(board, odt_bytes(), "Отчёт.odt", category="reports").status_code == 302
    [first, *_] = stored_files(app)
    assert len(stored_files(app)) == 3 and "Устав" not in first.name  # generated names on disk

    charter = page_text(client.get("/page/charter"))
    assert "Устав 2019" in charter and "PDF" in charter
    download = client.get("/documents/1")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "%D0%A3%D1%81%D1%82%D0%B0%D0%B2" in download.headers["Content-Disposition"]  # «Устав», RFC 5987

    budget = page_text(client.get("/page/budget"))
    assert "smeta-2022" not in budget and "Ещё документов для членов товарищества: 1." in budget
    refused = client.get("/documents/2")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/auth/login")
    member = accounts.member("269", "orlova269@example.ru")
    assert "smeta-2022" in page_text(member.get("/page/budget"))
    assert member.get("/documents/2").status_code == 200

    board.post("/admin/documents/3/delete")
    assert len(stored_files(app)) == 2 and client.get("/documents/3").status_code == 404
    assert audit_actions(app).count("document.upload") == 3 and "document.delete" in audit_actions(app)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"MZ\x90\x00", "virus.exe", "можно загрузить только .pdf, .doc, .docx, .xls, .xlsx, .odt, .ods"),
        (b"<html><script>x</script>", "page.html", "можно загрузить только"),
        (
            b"just text, not a pdf",
            "Смета.pdf",
            "Файл «Смета.pdf» назван как .pdf, но внутри не документ PDF.",
        ),
        (PDF, "renamed.docx", "назван как .docx, но внутри не документ Word"),
        (b"PK\x03\x04broken zip", "broken.xlsx", "назван как .xlsx, но внутри не документ Excel"),
        (b"", "empty.pdf", "Файл пустой."),
    ],
)
def test_wrong_uploads_are_refused_and_leave_nothing(app, accounts, content, filename, message):
    board = accounts.staff("board")
    response = upload(board, content, filename)
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_files(app) == []
    assert "document.upload" not in audit_actions(app)


def test_form_errors_of_the_upload(app, accounts):
    board = accounts.staff("board")
    response = board.post("/admin/documents/", data={"category": "nonsense", "visibility": ""})
    assert response.status_code == 422
    text = page_text(response)
    assert "Выберите файл документа." in text and "Неверный вариант" in text


def test_too_large_files(app, accounts):
    board = accounts.staff("board")
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    response = upload(board, PDF + b"0" * 2000, "big.pdf")
    assert response.status_code == 422
    assert "Файл слишком большой: можно не больше 1,0 КБ." in page_text(response)
    assert stored_files(app) == []

    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024  # the whole request, refused before parsing
    response = board.post(
        "/admin/documents/",
        data={"file": (io.BytesIO(PDF + b"0" * 3 * 1024 * 1024), "huge.pdf"), "category": "charter"},
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/admin/documents/"},
    )
    assert response.status_code == 413
    text = page_text(response)
    assert "Файл слишком большой: за один раз можно загрузить не больше 2 МБ." in text
    assert 'href="http://localhost/admin/documents/">Вернуться к форме' in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_a_post_without_fields_changes_nothing(app, client, accounts):
    board = accounts.staff("board")
    new_announcement(board, title="Собрание")
    assert board.post("/admin/announcements/1/edit", data={}).status_code == 422
    assert "Собрание" in page_text(client.get("/"))  # still published
