"""The treasurer's everyday commands run a bounded number of SQL statements (issue 12): the same
for one plot over a year and for three plots over three years, so ten years of 2,000 plots cost
what a year does, in statements."""

import pytest

from tests.helpers import Accounts, counting_statements, fill, make_app

COMMANDS = [["report", "debtors"], ["check-readings"], ["send-sms", "--dry-run"]]


def run(tmp_path, smtp_server, mailbox, plots: int, months: int, args: list[str]) -> tuple[int, str]:
    app = make_app(tmp_path / f"{plots}-{months}", smtp_server[0].port)
    fill(app, plots, months)
    numbers = ",".join(str(100 + i) for i in range(plots))
    client = Accounts(app, mailbox).member("100", "member@example.ru")
    data = {
        "plots": numbers,
        "full_name": "",
        "contact_persons": "",
        "phone": "89031221105",
        "sms_consent": "y",
    }
    assert client.post("/my-data/edit", data=data).status_code == 302
    with counting_statements(app) as counter:
        result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return counter.count, result.output.replace("\u00a0", " ")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args))
def test_statement_count_does_not_grow_with_years_or_plots(tmp_path, smtp_server, mailbox, args):
    few, _ = run(tmp_path, smtp_server, mailbox, 1, 12, args)
    many, output = run(tmp_path, smtp_server, mailbox, 3, 36, args)
    assert few == many, (
        f"{' '.join(args)}: {few} statements for 1 plot × 1 year, {many} for 3 plots × 3 years"
    )
    # What each prints is about all three plots and the newest period.
    if args[0] == "report":
        assert all(f"{100 + i}\t" in output for i in range(3)) and "Должников: 3" in output
    elif args[0] == "check-readings":
        assert "Период с 01 декабря 2022: подозрительных показаний — 0." in output
    else:
        assert "SMS за период 01 декабря 2022 – 01 января 2023 (2022-12)." in output
        assert all(f"уч. {100 + i} → 89031221105" in output for i in range(3))
