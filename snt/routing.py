"""Building URLs cheaply: rules compile their URL builders on first use, and url_for keeps what
it built inside requests (CachedUrls).

Werkzeug compiles two Python functions per rule (an AST, then `compile`) as each rule is added:
about half a millisecond a rule, over 120 rules on every start of every command, most of which
never build a URL. Matching is unchanged (its regular expressions are compiled as before); a
rule's builders are compiled the first time `url_for` asks that rule for a URL.
"""

from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask
from flask.globals import _cv_request
from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: Callable[..., tuple[str, str]] | None = None

        def build(rule: Rule, **values: object) -> tuple[str, str]:
            nonlocal compiled
            if compiled is None:  # two threads may both compile: the same function, harmless
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(**values)

        return build


class CachedUrls(Flask):
    """url_for that keeps what it built, per process: every page's menu builds some thirty URLs, the
    same on every page, and each costs a map lookup and the rule's builder.

    Only what cannot differ between two requests is kept: a URL built inside a request, without
    `_external`, `_scheme`, `_anchor` or `_method`, to an absolute endpoint, while no url_defaults are
    registered (none are), keyed by the request's script root and host, the endpoint and every value
    with its type (1 and True are equal keys, different URLs). At most MAX_KEPT_URLS; then it starts
    over, so URLs with ids in them cannot grow it without bound.
    """

    MAX_KEPT_URLS = 2048

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[Hashable, str] = {}

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        context = _cv_request.get(None)
        plain = _anchor is None and _method is None and _scheme is None and _external is None
        if context is None or not plain or endpoint[:1] == "." or self.url_default_functions:
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        request = context.request
        key = (request.script_root, request.host, endpoint, *((k, type(v), v) for k, v in values.items()))
        try:
            return self._kept_urls[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (a list for a repeated query parameter)
            return super().url_for(endpoint, **values)
        url = super().url_for(endpoint, **values)
        if len(self._kept_urls) >= self.MAX_KEPT_URLS:
            self._kept_urls.clear()
        self._kept_urls[key] = url
        return url
