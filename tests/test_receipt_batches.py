"""The all-debtors receipts are made a batch of plots at a time and joined into one file: the memory
a run needs does not grow with the number of plots (snt.payments.receipt.BATCH)."""

import re

from pypdf import PdfReader
from sqlalchemy import select

from snt.extensions import db
from snt.models import Plot
from snt.payments import receipt, services


def _receipts(runner, out, *args):
    result = runner.invoke(args=["receipts", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    return re.findall(r"Квитанция на оплату — участок (\S+)", text), len(PdfReader(out).pages)


def test_receipts_read_one_batch_of_ledgers_at_a_time_and_keep_their_order(
    app, runner, tmp_path, monkeypatch
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    whole, whole_pages = _receipts(runner, tmp_path / "whole.pdf")  # the demo's plots fit in one batch
    ledgers, load_ledger = [], services.load_ledger

    def counted(plot_ids, *args, **kwargs):
        ledgers.append(len(plot_ids))
        return load_ledger(plot_ids, *args, **kwargs)

    monkeypatch.setattr(services, "load_ledger", counted)
    monkeypatch.setattr(receipt, "BATCH", 7)
    batched, batched_pages = _receipts(runner, tmp_path / "batched.pdf")
    assert len(ledgers) > 3 and max(ledgers) <= 7  # never more than a batch of plots' ledgers at once
    assert batched == whole and len(whole) > 10  # the same receipts, in the same order, in one file
    assert batched_pages == whole_pages


def test_receipts_with_no_amount_due_leave_no_file(app, runner, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        plots = db.session.scalars(select(Plot).order_by(Plot.sort_key)).all()
        paid = next(s.plot.number for s in services.payment_status(plots) if s.due <= 0)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "none.pdf"
    result = runner.invoke(args=["receipts", "--out", str(out), "--plot", paid])
    assert result.exit_code == 1 and "Нет участков с суммой к оплате." in result.output
    assert list((tmp_path / "out").iterdir()) == []  # nor a half-written part
    assert _receipts(runner, out, "--plot", paid, "--all")[0] == [paid]
