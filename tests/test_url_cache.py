"""url_for keeps the URLs it built inside requests (snt/routing.py CachedUrls): a kept URL is only
ever handed to a request that would have built the same one."""

from flask import url_for


def test_menu_links_follow_the_script_root_and_the_host(client):
    """The site mounted under a prefix (or reached by another name) links under that prefix."""
    plain = client.get("/").get_data(as_text=True)
    prefixed = client.get("/", base_url="http://localhost/snt/").get_data(as_text=True)
    other_host = client.get("/", base_url="http://snt.example/").get_data(as_text=True)
    assert 'href="/page/charter"' in plain and "/snt/page/charter" not in plain
    assert 'href="/snt/page/charter"' in prefixed
    assert 'href="/page/charter"' in other_host
    assert 'href="/page/charter"' in client.get("/").get_data(as_text=True)


def test_values_of_different_types_build_their_own_urls(app):
    with app.test_request_context("/"):
        assert url_for("public.index", x=1) == "/?x=1"
        assert url_for("public.index", x=True) == "/?x=True"
        assert url_for("public.index", x="1") == "/?x=1"
        assert url_for("public.index", x=[1, 2]) == "/?x=1&x=2"  # unhashable: built every time
        assert url_for("public.page", slug="charter", _anchor="top") == "/page/charter#top"
        assert url_for("public.page", slug="charter") == "/page/charter"


def test_external_urls_and_relative_endpoints_are_never_taken_from_what_was_kept(app):
    with app.test_request_context("/", base_url="http://a.example/"):
        assert url_for("public.index") == "/"
        assert url_for("public.index", _external=True) == "http://a.example/"
    with app.test_request_context("/", base_url="http://b.example/"):
        assert url_for("public.index", _external=True) == "http://b.example/"
    with app.test_request_context("/auth/login"):
        assert url_for(".register") == "/auth/register"
    with app.test_request_context("/my-data/"):
        assert url_for(".edit") == "/my-data/edit"


def test_what_is_kept_stays_bounded(app):
    with app.test_request_context("/"):
        for number in range(app.MAX_KEPT_URLS * 2 + 1):
            assert url_for("public.index", n=number) == f"/?n={number}"
    assert len(app._kept_urls) <= app.MAX_KEPT_URLS
