"""docs/treasurer.md «Казначей в браузере», step by step on the demo data: a month of readings from an
Excel file, its preview, the import, the month's SMS — without a shell."""

import re
from pathlib import Path

from tests.helpers import DATA, page_text

TEXTS = [
    "СНТ Аникино, уч. 269: Т1 258, Т2 72. К оплате 1950.36. Оплатить до 5 числа.",
    "СНТ Аникино, уч. 270: Т1 5, Т2 2. К оплате 39.40. Оплатить до 5 числа.",
]


def hidden_fields(html: str, action: str) -> dict[str, str]:
    form = html[html.index(f'action="{action}"') :]
    return dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form[: form.index("</form>")]))


def test_the_readme_walkthrough(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    client = app.test_client()
    login = {"login": "treasurer@example.ru", "password": "Kaznachei-2022"}
    assert client.post("/auth/login", data=login).status_code == 302
    assert "Загрузка файлов" in page_text(client.get("/admin/"))

    excel = DATA / "readings-2022-07.xlsx"
    upload = {"kind": "readings", "file": (excel.open("rb"), excel.name)}
    preview = client.post("/admin/imports/", data=upload, content_type="multipart/form-data")
    assert preview.status_code == 200
    assert "Итого: новых показаний — 2; новых начислений за электроэнергию — 2." in page_text(preview)
    token = hidden_fields(preview.get_data(as_text=True), "/admin/imports/confirm")["token"]
    done = client.post("/admin/imports/confirm", data={"token": token}, follow_redirects=True)
    assert "Файл загружен в базу." in page_text(done) and "Итого: новых показаний — 2" in page_text(done)

    dashboard = page_text(client.get("/admin/"))
    assert "SMS: за период 01 июня 2022 – 01 июля 2022 отправлено 0, не отправлено 2 из 2" in dashboard
    page = client.get("/admin/sms/")
    text = page_text(page)
    assert "SMS за период 01 июня 2022 – 01 июля 2022 (2022-06)." in text
    assert "269 будет отправлено 89031221105 (2 SMS, 75 зн.): " + TEXTS[0] in text
    assert "Сообщений: 2, частей SMS: 3. Будет отправлено сейчас: 2, частей SMS: 3." in text
    form = hidden_fields(page.get_data(as_text=True), "/admin/sms/send")
    assert "Отправлено: 2 из 2." in page_text(
        client.post("/admin/sms/send", data=form, follow_redirects=True)
    )
    log = (Path(app.instance_path) / "outbox" / "sms.log").read_text(encoding="utf-8")
    assert [line.split("\t")[2] for line in log.splitlines()] == TEXTS
