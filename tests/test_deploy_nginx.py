"""deploy/nginx-snt.conf in front of gunicorn started as deploy/snt.service starts it: the same
files, with only the ports and paths rewritten for the test. Checked through nginx."""

import re
import subprocess

import pytest

from snt import DEFAULTS
from tests.helpers import sqlite_only
from tests.processes import (
    BIN,
    DEPLOY,
    REPO,
    free_port,
    login,
    need,
    prepare_site,
    running,
    site_env,
    unit_exec_start,
    visitor,
)

pytestmark = sqlite_only  # the site here has its own SQLite file; once per `make test` is enough
BOARD, PASSWORD = "chair@example.ru", "Pravlenie-2026"
SECURITY_HEADERS = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"]


def rewrite_site(app_port: int, web_port: int) -> str:
    """The project's site file: ports and paths for the test, every other line as shipped."""
    text = (DEPLOY / "nginx-snt.conf").read_text()
    text = text.replace("listen 80;", f"listen 127.0.0.1:{web_port};")
    text = text.replace("listen [::]:80;", f"listen [::1]:{web_port};")
    text = text.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}")
    return text.replace("/opt/snt/app", str(REPO))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    app_port, web_port = free_port(), free_port()
    base = f"http://127.0.0.1:{web_port}"
    env = site_env(folder, SNT_PROXY_COUNT="1", SNT_SITE_URL=base, SNT_RATELIMIT_ENABLED="true")
    prepare_site(env, BOARD, PASSWORD)

    (folder / "site.conf").write_text(rewrite_site(app_port, web_port))
    temp = folder / "nginx-temp"
    temp.mkdir()
    (folder / "nginx.conf").write_text(
        f"""user root;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
daemon off;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
"""
    )
    nginx = [need("nginx"), "-c", str(folder / "nginx.conf"), "-e", str(folder / "nginx-error.log")]
    subprocess.run([*nginx, "-t", "-q"], check=True)
    gunicorn = unit_exec_start(DEPLOY / "snt.service", app_port, REPO)
    assert gunicorn[0] == str(REPO / ".venv/bin/gunicorn")
    gunicorn[0] = str(BIN / "gunicorn")  # the suite's own environment
    app_log = folder / "gunicorn.log"
    with running(gunicorn, app_port, app_log, env=env), running(nginx, web_port, folder / "nginx.log"):
        yield base, app_log


def test_static_files_come_from_nginx_with_the_security_headers(site):
    base, app_log = site
    response = visitor().get(f"{base}/static/style.css")
    assert response.status_code == 200
    assert response.content == (REPO / "static/style.css").read_bytes()
    assert "max-age=604800" in response.headers["Cache-Control"]
    for header in SECURITY_HEADERS:
        assert response.headers[header], header
    assert "/static/" not in app_log.read_text()  # gunicorn never saw it


def test_pages_pass_through_nginx_with_the_apps_security_headers(site):
    base, app_log = site
    response = visitor().get(f"{base}/")
    assert response.status_code == 200 and "Объявления" in response.text
    assert response.headers["Server"].startswith("nginx")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "GET / 200" in app_log.read_text()


def test_a_board_member_logs_in_through_nginx(site):
    base, _ = site
    board = visitor()
    response = login(board, base, BOARD, PASSWORD)
    assert response.status_code == 302, response.text
    admin = board.get(f"{base}/admin/")
    assert admin.status_code == 200 and "Сводка" in admin.text


def test_the_limits_count_the_visitors_real_address_not_a_forged_header_or_nginx(site):
    """Ten wrong passwords from 127.0.0.2, each claiming another address in X-Forwarded-For, and the
    eleventh is refused; a visitor from 127.0.0.3 is not: the limiter sees nginx's $remote_addr."""
    base, _ = site
    attacker = visitor("127.0.0.2")
    statuses = [
        # A new login each time: the per-login lock (snt/throttle.py) stays out of it.
        login(
            attacker, base, f"guess{i}@example.ru", "wrong", **{"X-Forwarded-For": f"10.0.0.{i}"}
        ).status_code
        for i in range(11)
    ]
    assert statuses == [422] * 10 + [429]  # 422: «неверный логин или пароль»; 429: the limit
    assert "Слишком много попыток" in login(attacker, base, "guess@example.ru", "x").text
    assert login(visitor("127.0.0.3"), base, BOARD, PASSWORD).status_code == 302


def test_an_upload_over_the_apps_limit_is_refused_by_nginx_in_russian(site):
    base, app_log = site
    configured = re.search(r"client_max_body_size (\d+);", (DEPLOY / "nginx-snt.conf").read_text())
    assert int(configured.group(1)) == DEFAULTS["MAX_CONTENT_LENGTH"]
    limit = DEFAULTS["MAX_CONTENT_LENGTH"]
    too_big = visitor().post(f"{base}/admin/documents/", data=b"x" * (limit + 1))
    assert too_big.status_code == 413 and "Файл слишком большой" in too_big.text
    assert "POST /admin/documents/" not in app_log.read_text()
    at_limit = visitor().post(f"{base}/admin/documents/", data=b"x" * limit)
    assert at_limit.status_code != 413  # the app got it (and refused the forged form itself)
    assert "POST /admin/documents/" in app_log.read_text()
