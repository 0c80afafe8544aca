"""One log line per request for the journal: method, route, status, time. No personal data: the
route's pattern stands for the path (a token or an email in a URL never reaches the log), and
neither the address, nor the account, nor the query string is written."""

import logging
import time

from flask import Flask, g, request

log = logging.getLogger("snt.requests")


def init_app(app: Flask) -> None:
    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        log.info("%s %s %s %.0f ms", request.method, route, response.status_code, elapsed)
        return response
