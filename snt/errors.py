"""Error pages in Russian; the 500 handler rolls the session back."""

import time
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from snt.extensions import db
from snt.web import limiter

MESSAGES = {
    400: "Запрос не понят. Вернитесь назад и попробуйте ещё раз.",
    403: "У вас нет доступа к этой странице.",
    404: "Такой страницы нет.",
    405: "Так эту страницу открыть нельзя.",
    413: "Файл слишком большой.",
    429: "Слишком много попыток. Подождите немного и попробуйте снова.",
    500: "На сайте произошла ошибка. Мы уже знаем о ней; попробуйте позже.",
    503: "Сайт сейчас занят. Повторите через минуту — ничего не потеряно.",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "Форма устарела (прошло много времени или сайт открыт в другой вкладке). Обновите страницу и отправьте её снова."
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(413)
    def too_large(error: HTTPException):
        """An upload over MAX_CONTENT_LENGTH: say the limit and lead back to the form."""
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = (
            f"Файл слишком большой: за один раз можно загрузить не больше {limit} МБ. "
            "Уменьшите файл (например, сохраните PDF с меньшим разрешением) и загрузите его снова."
        )
        back = request.referrer or ""
        if urlsplit(back).netloc != request.host:
            back = ""
        return render_template("errors/error.html", code=413, message=message, back=back), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        headers = {}
        if code == 429 and limiter.current_limit is not None:  # a per-address limit was hit
            headers["Retry-After"] = str(max(1, limiter.current_limit.reset_at - int(time.time())))
        return (
            render_template("errors/error.html", code=code, message=MESSAGES.get(code, error.description)),
            code,
            headers,
        )

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        # A safety net: writers take the lock up front (snt/database.py), so this should not happen.
        db.session.rollback()
        if "locked" not in str(error.orig):
            app.logger.exception("database error")
            return render_template("errors/error.html", code=500, message=MESSAGES[500]), 500
        app.logger.error("database busy: %s", error)
        return (
            render_template("errors/error.html", code=503, message=MESSAGES[503]),
            503,
            {"Retry-After": "30"},
        )

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        return render_template("errors/error.html", code=500, message=MESSAGES[500]), 500
