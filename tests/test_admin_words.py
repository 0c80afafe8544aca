"""No shell words in the browser: no admin page names a command, a flag or a setting variable."""

import re

from tests.helpers import DATA, ROUTES, _url, build_world, page_text, write_csv

SHELL_WORDS = re.compile(r"--|flask |SNT_")
PAGES = sorted({rule for _, rule, method in ROUTES if method == "GET"})


def shell_words(response) -> list[str]:
    if response.mimetype != "text/html":
        return []
    text = page_text(response)
    return [text[max(m.start() - 40, 0) : m.end() + 40] for m in SHELL_WORDS.finditer(text)]


def test_no_admin_page_shows_shell_words(app, reference, accounts, cli, tmp_path):
    world = build_world(app, accounts)
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    cli("import-readings", str(DATA / "readings-cp1251.csv"), "--replace")
    treasurer = accounts.staff("treasurer")
    found = {}
    for rule in PAGES:
        response = treasurer.get(_url(app, rule, world), follow_redirects=True)
        assert response.status_code == 200, rule
        if words := shell_words(response):
            found[rule] = words
    # The reports a treasurer meets: a conflicting reading, an unknown plot, the month's SMS.
    conflict = write_csv(
        tmp_path / "conflict.csv",
        [
            ["Участок", "Дата", "День", "Ночь"],
            ["269", "01.06.2022", "9540", "3118"],
            ["999", "01.06.2022", "1", "1"],
        ],
    )
    with open(conflict, "rb") as file:
        upload = {"kind": "readings", "file": (file, "conflict.csv")}
        preview = treasurer.post("/admin/imports/", data=upload, content_type="multipart/form-data")
    assert "участка № 999 нет в реестре" in page_text(preview)
    for url, response in [
        ("/admin/imports/ (preview)", preview),
        ("/admin/sms/?period=2022-05", treasurer.get("/admin/sms/?period=2022-05")),
        ("/admin/sms/?include_flagged=1", treasurer.get("/admin/sms/?include_flagged=1")),
    ]:
        if words := shell_words(response):
            found[url] = words
    assert found == {}


def test_the_board_walks_every_admin_page_without_shell_words(app, reference, accounts, cli):
    """Every admin GET rule of the url_map, with its arguments filled from the test data, as the
    board (правление) opens it: a page or «нет доступа», and no command, option or setting in it."""
    world = build_world(app, accounts)
    cli("set-role", "269", "board")  # an audit entry from the shell, shown in words
    board = accounts.staff("board")
    found, statuses = {}, {}
    for rule in PAGES:
        response = board.get(_url(app, rule, world), follow_redirects=True)
        statuses[rule] = response.status_code
        if words := shell_words(response):
            found[rule] = words
    assert found == {}
    assert set(statuses.values()) <= {200, 403}, statuses
    assert statuses["/admin/audit/"] == 200 and statuses["/admin/"] == 200
    log = page_text(board.get("/admin/audit/"))
    assert "из командной строки: set-role" in log and "из браузера" in log


def test_the_reports_of_the_month_as_tables_without_shell_words(app, members, accounts, gateway):
    """The treasurer's results in the browser: an import's job page, the fees, a send of SMS."""
    treasurer = accounts.staff("treasurer")
    pages = {}
    with open(DATA / "payments-utf8bom.csv", "rb") as file:
        upload = {"kind": "payments", "file": (file, "payments.csv")}
        preview = treasurer.post("/admin/imports/", data=upload, content_type="multipart/form-data")
    pages["payments preview"] = preview
    skip = dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', preview.get_data(as_text=True)))
    pages["payments without bad rows"] = treasurer.post("/admin/imports/confirm-without-bad-rows", data=skip)
    assert "1 пропущенная строка" in page_text(pages["payments without bad rows"])
    fees = {
        "year": "2023",
        "mode": "fixed",
        "rate": "500",
        "kind": "target",
        "title": "Дорога",
        "preview": "y",
    }
    pages["fees preview"] = treasurer.post("/admin/fees/", data=fees)
    assert re.search(r"\d+ изменени(е|я|й) ", page_text(pages["fees preview"]))
    sms = treasurer.get("/admin/sms/?period=2022-05")
    form = dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', sms.get_data(as_text=True)))
    pages["sms sent (job)"] = treasurer.post("/admin/sms/send", data=form, follow_redirects=True)
    assert "Отправлено: 4 из 4." in page_text(pages["sms sent (job)"])
    found = {name: words for name, response in pages.items() if (words := shell_words(response))}
    assert found == {}
