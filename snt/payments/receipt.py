"""Квитанция: a printable A4 PDF per plot with every amount due and its QR code (fpdf2, DejaVu)."""

import gc
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from snt import audit
from snt.billing import Settled
from snt.database import write_transaction
from snt.dates import ru_day
from snt.extensions import db
from snt.models import Account, Plot
from snt.money import format_money
from snt.payments.qr import PaymentCode, end_readings, plot_code, reading_text
from snt.payments.requisites import Requisites, current_requisites
from snt.payments.services import PlotStatus, payment_status, row_label

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"


def _new_pdf() -> "FPDF":
    from fpdf import FPDF  # here, not at the top: fpdf takes 0.3 s to import, and most commands never use it

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    return pdf


MAX_PERIODS = 12  # unpaid electricity periods listed on a receipt; older ones are counted


@dataclass
class Receipt:
    status: PlotStatus
    code: PaymentCode | None  # the plot's one code for its whole amount due
    periods: dict[object, str]  # charge key -> «01.05.2022 – 01.06.2022, Т1 9532, Т2 3118»


def receipts_pdf(
    snt_name: str,
    requisites: Requisites | None,
    items: list[Receipt],
    issued: date,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One page (or more) per plot: issue date, payee, payer, amounts due by kind and year with
    their due dates and electricity periods, the total and the plot's QR code. `progress(1)` after
    each plot (click's progress bar, a job's counter)."""
    pdf = _new_pdf()
    for item in items:
        _receipt_page(pdf, snt_name, requisites, item, issued)
        if progress:
            progress(1)
    return bytes(pdf.output())


def receipts_for(
    statuses: list[PlotStatus],
    issued: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The PDF of these plots' receipts, with the stored requisites and QR codes. One query more."""
    requisites = current_requisites()
    unpaid: dict[tuple[int, date], tuple[Settled, date]] = {}
    for s in statuses:
        for row in s.rows:
            for item in row.unpaid[-MAX_PERIODS:]:
                start, end = item.charge.start, item.charge.end
                if start is not None and end is not None:
                    unpaid[(s.plot.id, end)] = (item, start)
    readings = end_readings(set(unpaid))
    periods = {
        item.charge.key: f"{ru_day(start)} – {ru_day(end)}"
        + (f", {reading_text(readings[(plot_id, end)])}" if (plot_id, end) in readings else "")
        for (plot_id, end), (item, start) in unpaid.items()
    }
    items = [Receipt(s, plot_code(s, requisites), periods) for s in statuses]
    return receipts_pdf(current_app.config["NAME"], requisites, items, issued or date.today(), progress)


BATCH = 100  # plots whose ledgers and receipt pages are held at once (snt.payments.pdf_join)
NONE_DUE = "Нет участков с суммой к оплате."


def receipt_plots(numbers: tuple[str, ...] = ()) -> list[int]:
    """The plots to look at for receipts, in the receipts' order: every plot, or only `numbers`.
    ValueError (Russian) when there are none."""
    query = select(Plot.id).order_by(Plot.sort_key)
    if numbers:
        query = query.where(Plot.number.in_(numbers))
    plot_ids = list(db.session.scalars(query))
    if not plot_ids:
        raise ValueError(NONE_DUE)
    return plot_ids


def write_receipts(
    path: Path,
    plot_ids: list[int],
    include_paid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """One PDF at `path`: a receipt for each of these plots with an amount due (each of them with
    `include_paid`), in this order; the count. `progress(1)` per plot looked at. The plots are
    read, settled and drawn `BATCH` at a time and each batch's pages are written before the next
    is read, so memory does not grow with the plots or the years. The file appears whole or not at
    all (written beside it, then renamed); ValueError (Russian) when no plot has an amount due."""
    from snt.payments.pdf_join import PdfJoin

    issued, count = date.today(), 0
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as out:
            join = PdfJoin(out)
            for start in range(0, len(plot_ids), BATCH):
                part_pdf, part_count = _batch(plot_ids[start : start + BATCH], include_paid, issued, progress)
                if part_pdf:
                    join.add(part_pdf)
                count += part_count
                del part_pdf
                gc.collect()  # fpdf2's document is a web of references: free this batch's before the next
            if not count:
                raise ValueError(NONE_DUE)
            join.close()
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return count


def _batch(
    plot_ids: list[int], include_paid: bool, issued: date, progress: Callable[[int], None] | None
) -> tuple[bytes | None, int]:
    """The receipts of one batch of plots as a PDF of its own (None when none is due), and their count."""
    plots = {p.id: p for p in db.session.scalars(select(Plot).where(Plot.id.in_(plot_ids)))}
    statuses = payment_status([plots[i] for i in plot_ids if i in plots])
    due = [s for s in statuses if include_paid or s.due > 0]
    for _ in range(len(plot_ids) - len(due)):
        if progress:
            progress(1)
    return (receipts_for(due, issued, progress) if due else None), len(due)


def debtors_receipts_download(
    by: Account | None,
    path: Path,
    progress: Callable[[int], None] | None = None,
    plot_ids: list[int] | None = None,
) -> int:
    """The debtors' receipts for the admin's download (a job) written to `path`, audited like an
    export (the lock is taken only for the audit entry, after the PDF is made); the count."""
    count = write_receipts(path, receipt_plots() if plot_ids is None else plot_ids, progress=progress)
    with write_transaction():
        audit.record("export.receipts", by, details=f"PDF, квитанций: {count}")
    return count


def _receipt_page(
    pdf: "FPDF", snt_name: str, requisites: Requisites | None, item: Receipt, issued: date
) -> None:
    status = item.status
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, f"Квитанция на оплату — участок {status.plot.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"Дата выставления: {ru_day(issued)}", new_x="LMARGIN", new_y="NEXT")
    if requisites:
        payee = (
            f"Получатель: {requisites.name}, ИНН {requisites.inn}, КПП {requisites.kpp}\n"
            f"Р/с {requisites.account} в {requisites.bank_name}, БИК {requisites.bik}, "
            f"к/с {requisites.corr_account}"
        )
    else:
        payee = f"Получатель: {snt_name} (реквизиты для оплаты правление ещё не указало)"
    pdf.multi_cell(0, 5, payee, new_x="LMARGIN", new_y="NEXT")
    owner = status.plot.owner_name or "—"
    pdf.multi_cell(
        0,
        5,
        f"Плательщик: {owner}, участок {status.plot.number}, улица {status.plot.street}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(95, 7, "Статья", border=1)
    pdf.cell(30, 7, "Оплатить до", border=1, align="C")
    pdf.cell(32, 7, "К оплате, ₽", border=1, align="R")
    pdf.cell(33, 7, "Аванс, ₽", border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for row in status.rows:
        pdf.cell(95, 7, row_label(row), border=1)
        pdf.cell(30, 7, ru_day(row.due_on) if row.due_on and row.due > 0 else "", border=1, align="C")
        pdf.cell(32, 7, format_money(row.due), border=1, align="R")
        pdf.cell(33, 7, format_money(row.prepaid), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
        _periods(pdf, row, item.periods)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(125, 7, "Итого к оплате", border=1)
    pdf.cell(32, 7, format_money(status.due), border=1, align="R")
    pdf.cell(33, 7, format_money(status.prepaid), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    code = item.code
    if code is None:
        return
    pdf.ln(4)
    if pdf.get_y() > 230:
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(io.BytesIO(code.png(scale=6)), x=pdf.l_margin, y=top, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 45, top)
    pdf.multi_cell(
        0,
        5,
        f"Всего по участку {status.plot.number}: {format_money(code.amount)} ₽\n"
        f"Назначение платежа: {code.purpose}\n"
        "Отсканируйте QR-код в приложении банка: реквизиты, сумма и назначение заполнятся сами.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(top + 42)


def _periods(pdf: "FPDF", row, periods: dict[object, str]) -> None:
    """Under an electricity line: each unpaid period with its end readings and what is left of it."""
    listed = [p for p in row.unpaid if p.charge.key in periods]
    if not listed:
        return
    pdf.set_font("DejaVu", "", 8)
    older = len(row.unpaid) - len(listed)
    if older > 0:
        _line(pdf, 5, f"    и ещё более ранних периодов: {older}")
    for p in listed:
        _line(pdf, 5, f"    период {periods[p.charge.key]}: {format_money(p.left)} ₽")
    pdf.set_font("DejaVu", "", 10)


def _line(pdf: "FPDF", h: float, text: str) -> None:
    """What `pdf.cell(0, h, text, new_x="LMARGIN", new_y="NEXT")` draws for a left-aligned line
    without a border, at the same place, but through `text()`: `cell` measures every character of
    every line, and the period lines are most of a receipt's lines."""
    if pdf.will_page_break(h):
        pdf.add_page(same=True)
    pdf.text(pdf.x + pdf.c_margin, pdf.y + 0.5 * h + 0.3 * pdf.font_size, text)
    pdf.set_y(pdf.y + h)
