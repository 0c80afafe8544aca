"""Every admin route, generated from the app's URL map, for a guest, a member, the board and the
treasurer: a route added later is checked without anyone listing it here."""

import pytest

from tests.helpers import ROUTES, _url, build_world, page_text

# Routes only the treasurer may use (registry, roles and the treasurer's tools); everything else
# is the board's.
TREASURER_ONLY = {
    "admin.plot_edit",
    "admin.person_save",
    "admin.member_role",
    "admin.imports",
    "admin.import_confirm",
    "admin.import_confirm_without_bad_rows",
    "admin.replace_meter_page",
    "admin.tariffs",
    "admin.fees",
    "admin.sms",
    "admin.sms_send",
    "admin.email_send",
    "admin.requisites",
    "admin.debtors_receipts_pdf",
    "admin.job",
    "admin.job_result",
    "admin.job_rerun",
    "admin.readings_accept_clean",
    "admin.readings_accept",
    "admin.readings_reject",
    "admin.plot_payment",
    "admin.payment_reverse",
    "admin.unmatched_payments",
    "admin.unmatched_assign",
    "admin.unmatched_foreign",
}


def test_the_admin_area_has_routes_to_check():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert len(endpoints) >= 25
    assert endpoints >= TREASURER_ONLY


@pytest.mark.parametrize("staff_role", ["board", "treasurer"])
@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{m} {r}" for _, r, m in ROUTES])
def test_route_is_checked_on_the_server(app, reference, accounts, endpoint, rule, method, staff_role):
    world = build_world(app, accounts)
    url = _url(app, rule, world)

    guest = app.test_client().open(url, method=method)
    assert guest.status_code == 302, f"guest: {guest.status_code}"
    assert guest.headers["Location"].startswith("/auth/login?next=")

    member = world.member.open(url, method=method)
    assert member.status_code == 403, f"member: {member.status_code}"
    assert "У вас нет доступа к этой странице." in page_text(member)

    staff = accounts.staff(staff_role).open(url, method=method)
    if staff_role == "board" and endpoint in TREASURER_ONLY:
        assert staff.status_code == 403
        return
    # Allowed: a page, a redirect after an action, or a form sent back with its Russian errors.
    assert staff.status_code in (200, 302, 422), f"{staff_role}: {staff.status_code}"
    assert not staff.headers.get("Location", "").startswith("/auth/login")


def test_admin_menu_item_only_for_the_board(app, reference, accounts):
    world = build_world(app, accounts)
    assert "Администрирование" not in page_text(world.member.get("/"))
    assert "Администрирование" not in page_text(app.test_client().get("/"))
    board = accounts.staff("board")
    assert "Администрирование" in page_text(board.get("/"))
    assert "Заявки на участки, ждущие правления: 1" in page_text(board.get("/admin/"))
