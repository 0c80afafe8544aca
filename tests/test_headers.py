"""Security headers on every response; no inline script or style for the CSP to break."""

import re
from pathlib import Path

import pytest

from snt.public.content import save_announcement
from snt.security import CONTENT_SECURITY_POLICY
from tests.helpers import make_app


@pytest.mark.parametrize("url", ["/", "/auth/login", "/no-such-page", "/static/style.css", "/help"])
def test_security_headers_on_pages_errors_and_static_files(client, url):
    response = client.get(url)
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ):
        assert directive in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"  # https site


def test_no_hsts_when_the_site_is_served_over_http(tmp_path, smtp_server):
    app = make_app(tmp_path, smtp_server[0].port, SITE_URL="http://127.0.0.1:5000")
    response = app.test_client().get("/")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_header_the_view_sets_itself_is_kept_and_each_header_is_sent_once(app):
    """The security headers are defaults: a response that names one (in any letter case) keeps its
    own value, and none is sent twice."""
    app.add_url_rule("/own-policy", "own_policy", lambda: ("x", {"referrer-policy": "same-origin"}))
    headers = app.test_client().get("/own-policy").headers
    assert headers.getlist("Referrer-Policy") == ["same-origin"]
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                 "Cross-Origin-Opener-Policy", "Strict-Transport-Security"):  # fmt: skip
        assert len(headers.getlist(name)) == 1, name


# A <script> without src= is inline; <script src="…"> from this site is what the CSP allows.
INLINE = re.compile(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_served_templates_have_no_inline_script_or_style():
    offenders = [
        f"{path}: {match.group(0).strip()}"
        for path in Path("templates").rglob("*.html")
        # Emails are never served; the instruction file is a download (see the next test).
        if "email" not in path.parts and path.name != "instruction_file.html"
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_instruction_file_with_its_own_style_is_a_download(client):
    response = client.get("/help/instruction.html")
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_the_boards_markdown_tables_align_by_class_not_inline_style(app, client):
    with app.app_context():
        save_announcement(
            None, "Взносы", "| участок | сумма |\n|---|--:|\n| 269 | 7 200 |", True, False, True, None
        )
    html = client.get("/").get_data(as_text=True)
    assert '<td class="align-right">7 200</td>' in html
    assert " style=" not in html


def test_personal_pages_receipts_and_exports_are_never_stored(app, reference, accounts):
    """Issue 11: nothing personal may stay in a shared computer's or a proxy's cache."""
    from snt.extensions import db
    from snt.payments.requisites import save_requisites
    from tests.helpers import SBER

    with app.app_context():
        save_requisites(SBER)
        db.session.commit()
    member = accounts.member("269", "orlova269@example.ru")
    for url in [
        "/my-data/",
        "/my-data/edit",
        "/my-data/payments/",
        "/my-data/payments/receipt/269.pdf",
        "/my-data/electricity/",
        "/auth/account",
        "/",  # the menu names the member
    ]:
        response = member.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    treasurer = accounts.staff("treasurer")
    for url in [
        "/admin/",
        "/admin/plots/",
        "/admin/exports/registry.csv",
        "/admin/exports/debtors.xlsx",
    ]:
        response = treasurer.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    # The all-debtors receipts are a job: its page and its PDF.
    job_page = treasurer.post("/admin/receipts", follow_redirects=True)
    assert job_page.status_code == 200 and job_page.headers["Cache-Control"] == "no-store"
    [result] = re.findall(r'href="(/admin/jobs/\d+/result)"', job_page.get_data(as_text=True))
    pdf = treasurer.get(result)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    # A guest's public page and the static files may be cached.
    guest = app.test_client()
    assert "no-store" not in guest.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in member.get("/static/style.css").headers.get("Cache-Control", "")
