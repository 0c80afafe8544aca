"""The SNT portal: a public site, the members' cabinet and the treasurer's shell."""

import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.routing import Map

from snt.extensions import register_extensions
from snt.routing import CachedUrls, LazyBuildRule

DEFAULTS = {
    "NAME": "СНТ «Аникино»",
    "SHORT_NAME": "СНТ Аникино",
    "SITE_URL": "http://127.0.0.1:5000",  # links in emails are built from this, never from Host
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_I18N_ENABLED": False,  # Russian messages come from the base form's Meta.locales
    "MAIL_SERVER": None,  # None: mail goes to the log and to instance/outbox/
    "MAIL_PORT": 25,
    "MAIL_SUPPRESS_SEND": False,  # Flask-Mail would otherwise drop mail whenever TESTING is on
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_DEFAULT_SENDER": "noreply@localhost",
    "BOARD_EMAIL": "",  # where contact-form messages go, besides board accounts
    "PASSWORD_HASH_METHOD": "scrypt",
    "CONFIRM_MAX_AGE": 48 * 3600,
    "RESET_MAX_AGE": 2 * 3600,
    "SMS_BACKEND": "console",
    "SMSRU_API_ID": "",
    "SMSRU_URL": "https://sms.ru",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,  # None: Secure when SITE_URL is https (snt/security.py)
    "REMEMBER_COOKIE_SECURE": None,
    "HSTS": None,  # None: Strict-Transport-Security when SITE_URL is https
    "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "FILES_DIR": None,  # documents, saved mail, photos (snt/storage.py); None: the instance folder
    "TIMEZONE": "Europe/Moscow",  # how the admin area shows the times stored in UTC
    "DOCUMENT_MAX_BYTES": 20 * 1024 * 1024,  # one uploaded document
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024 + 64 * 1024,  # a whole request: a document and its form
    "IMPORT_MAX_BYTES": 5 * 1024 * 1024,  # one treasurer's file uploaded in the browser
    "IMPORT_PREVIEW_MAX_AGE": 3600,
    # Meter photos members attach to their readings: where (relative to instance/), how big.
    "READINGS_PHOTO_FOLDER": "meter-photos",
    "READINGS_PHOTO_MAX_BYTES": 10 * 1024 * 1024,
    # The date the readings window is computed from: None is the real date; a fixed one
    # ("2022-06-25") lets the demo data of 2022 and the browser tests pass readings.
    "TODAY": None,  # seconds between an upload's preview and its confirmation
    "RECENT_LOGIN_MINUTES": 15,  # changing the phone asks for the password again after this
    "PROXY_COUNT": 0,  # reverse proxies in front (1 for the nginx deployment in README)
    # Flask-Limiter, per client address; checked before any password hash runs.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",  # per process; redis://host:6379 for several
    "RATELIMIT_PASSWORD": "10 per minute; 60 per hour",  # login, password re-entry
    "RATELIMIT_MAIL": "5 per minute; 30 per hour",  # registration, reset, resend
    "RATELIMIT_CONTACT": "5 per minute; 30 per hour",  # the contact form
    # Failed passwords per login and address (snt/throttle.py): after LOGIN_FREE_FAILURES, each
    # failure locks the login for that address for a delay that doubles from LOGIN_BASE_DELAY up to
    # LOGIN_MAX_DELAY (s); after LOGIN_ADDRESS_DAILY_FAILURES, for the rest of the day.
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_BASE_DELAY": 15,
    "LOGIN_MAX_DELAY": 15 * 60,
    "LOGIN_ADDRESS_DAILY_FAILURES": 10,
    # One login, from all addresses together: at most this many wrong passwords a day (README).
    "LOGIN_DAILY_FAILURES": 200,
    # Long jobs (snt/jobs): Huey's SQLite storage in instance/tasks.sqlite3 when empty;
    # redis://host:6379/0 for Redis storage (several processes, PostgreSQL deployments).
    "TASK_QUEUE_URL": "",
    "TASK_QUEUE_IMMEDIATE": False,  # run each job at once in the submitting process (tests)
    "JOB_STALE_SECONDS": 600,  # a running job silent this long may be started again
}


class SiteOnDemand(Flask):
    """An app whose site (the views, their forms, the login, CSRF and limits, the request hooks and
    error pages) is registered the first time something needs it: a request, the URL map (url_for,
    a test request context, `flask routes`).

    A shell command needs the database, mail and templates and never a page: the views and their
    libraries cost every command about 0.15 s of start-up. Whatever asks for a URL or serves a
    request gets the whole site first; threads that ask at once wait for the one building it.
    """

    _site: Callable[[Flask], None] | None = None  # what registers the site, until it has run

    def build_site_later(self, build: Callable[[Flask], None]) -> None:
        self._site_lock = threading.RLock()
        self._site_building = False
        self._site = build

    def _ensure_site(self) -> None:
        if self._site is None:
            return
        with self._site_lock:  # re-entrant: the build itself adds rules to the map
            build = self._site
            if build is None or self._site_building:
                return
            self._site_building = True
            try:
                build(self)
            finally:
                self._site = None

    @property
    def url_map(self) -> Map:
        self._ensure_site()
        return self._url_map

    @url_map.setter
    def url_map(self, value: Map) -> None:
        self._url_map = value

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        # Before wsgi_app is looked up: building the site may wrap it (ProxyFix, snt/security.py).
        self._ensure_site()
        return super().__call__(environ, start_response)


class App(CachedUrls, SiteOnDemand):
    url_rule_class = LazyBuildRule  # URL builders compiled when first used (snt/routing.py)


def create_app(test_config: dict | None = None) -> Flask:
    app = App(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "snt.sqlite3")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("SNT")
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    register_extensions(app)

    from snt import cli, database, templating

    database.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    app.build_site_later(register_site)
    return app


def register_site(app: Flask) -> None:
    """The web side: its extensions, request hooks, pages and error pages (see SiteOnDemand)."""
    from snt import errors, requestlog, security
    from snt.web import register_web_extensions

    register_web_extensions(app)
    security.init_app(app)
    requestlog.init_app(app)
    register_blueprints(app)
    errors.init_app(app)


def register_blueprints(app: Flask) -> None:
    from snt.auth.views import bp as auth_bp
    from snt.electricity.views import bp as electricity_bp
    from snt.meetings.ballot_views import bp as voting_bp
    from snt.meetings.views import bp as meetings_bp
    from snt.mydata.views import bp as mydata_bp
    from snt.payments.views import bp as payments_bp
    from snt.public.views import bp as public_bp
    from snt.submissions.views import bp as submissions_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(mydata_bp, url_prefix="/my-data")
    app.register_blueprint(payments_bp, url_prefix="/my-data/payments")
    app.register_blueprint(electricity_bp, url_prefix="/my-data/electricity")
    app.register_blueprint(submissions_bp, url_prefix="/my-data/readings")
    app.register_blueprint(meetings_bp, url_prefix="/meetings")
    app.register_blueprint(voting_bp, url_prefix="/meetings")

    from snt import admin
    from snt.healthz import bp as healthz_bp

    admin.init_app(app)
    app.register_blueprint(healthz_bp)


def _instance_secret(instance_path: str) -> str:
    """A random secret kept in instance/secret_key, so a fresh install needs no manual step."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
