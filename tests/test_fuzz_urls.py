"""Arbitrary URL parameters on every page of the site: never a 5xx (issue 11, item 9).

Every GET route of the app, with arbitrary text in each of its path parameters and in the query
parameters the views read, asked by a guest, a member with a verified plot and the treasurer (who
sees the admin area). Runs on SQLite and, in `make test-postgres`, on PostgreSQL, where a NUL in
a bound string is a DataError. Derandomized: CI sees the same examples every run.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snt import create_app
from snt.extensions import db
from tests.helpers import Accounts, add_reference_case, dispose, make_app

URL_FUZZ = settings(
    max_examples=10,  # per route: about 50 routes
    deadline=None,
    database=None,  # nothing written into the work tree
    derandomize=True,  # the same examples every run: a landing never depends on luck
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any character but lone surrogates, with NUL, other control characters and digits int() refuses
# («²», Arabic-Indic) drawn often.
CHARACTERS = st.one_of(
    st.characters(exclude_categories=["Cs"]),
    st.sampled_from("\x00\x01\x1f\r\n\t\ufeff\u202e²٣１%/.?#&="),
)
PLAUSIBLE = ["269", "12а", "1", "0", "-1", "99999999999999999999", "2022-05", "csv", "plots", "charter", ""]
ODD = st.sampled_from(["\x00", "²", "٣", "１", "\u202e", "%", "/", "\n", "'", "\\"])
VALUES = st.one_of(
    st.text(CHARACTERS, max_size=40),
    st.sampled_from(PLAUSIBLE),
    st.tuples(st.sampled_from(PLAUSIBLE), ODD, st.sampled_from(PLAUSIBLE)).map("".join),  # 26\x009
)
# The query parameters the views read (grep request.args), and one nobody reads.
QUERY_NAMES = [
    "plot",
    "page",
    "q",
    "status",
    "debt",
    "actor",
    "action",
    "from",
    "to",
    "period",
    "show",
    "next",
    "include_flagged",
    "resend_unknown",
    "x",
]


def get_routes() -> list[tuple[str, list[str]]]:
    """(rule, its path parameters) for every route a browser can GET, static files aside."""
    app = create_app({"TESTING": True, "SECRET_KEY": "routes", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.rule, sorted(rule.arguments))
        for rule in app.url_map.iter_rules()
        # /healthz answers 503 by design when the schema is not migrated (as in these test apps)
        if "GET" in rule.methods and rule.endpoint not in ("static", "healthz.healthz")
    )


ROUTES = get_routes()


@pytest.fixture(scope="module")
def site(tmp_path_factory, smtp_server):
    """One app for every route: the reference case, its owner logged in (269 verified), the
    treasurer, and a guest."""
    app = make_app(tmp_path_factory.mktemp("urls"), smtp_server[0].port)
    with app.app_context():
        add_reference_case()
        db.session.commit()
    accounts = Accounts(app, smtp_server[1])
    yield {
        "guest": app.test_client(),
        "member": accounts.member("269", "orlova269@example.ru"),
        "treasurer": accounts.staff("treasurer"),
    }
    dispose(app)


def fill(rule: str, values: dict[str, str]) -> str:
    """The rule with each <converter:name> replaced by its value, percent-encoded."""
    for name, value in values.items():
        rule = re.sub(rf"<(?:[^:>]+:)?{name}>", lambda _, v=value: quote(v, safe=""), rule)
    return rule


@pytest.mark.parametrize(("rule", "names"), ROUTES, ids=[rule for rule, _ in ROUTES])
@URL_FUZZ
@given(data=st.data())
def test_no_url_parameters_make_a_server_error(site, rule, names, data):
    url = fill(rule, {name: data.draw(VALUES, label=name) for name in names})
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), VALUES, max_size=3), label="query")
    if query:
        url += "?" + urlencode(query)
    who = data.draw(st.sampled_from(sorted(site)), label="who")
    response = site[who].get(url)
    assert response.status_code < 500, (who, url, response.status_code)
