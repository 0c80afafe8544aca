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
