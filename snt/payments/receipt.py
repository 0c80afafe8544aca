"""Квитанция: a printable A4 PDF per plot with every amount due and its QR code (fpdf2, DejaVu)."""

import io
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from snt import audit
from snt.database import write_transaction
from snt.extensions import db
from snt.models import Account, Plot
from snt.money import format_money
from snt.payments.qr import PaymentCode, payment_codes
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


def receipts_pdf(
    snt_name: str,
    requisites: Requisites | None,
    items: list[tuple[PlotStatus, list[PaymentCode]]],
) -> bytes:
    """One page (or more) per plot: payee, payer, amounts due by kind and year, QR codes."""
    pdf = _new_pdf()
    for status, codes in items:
        _receipt_page(pdf, snt_name, requisites, status, codes)
    return bytes(pdf.output())


def receipts_for(statuses: list[PlotStatus]) -> bytes:
    """The PDF of these plots' receipts, with the stored requisites and QR codes."""
    requisites = current_requisites()
    codes = payment_codes(statuses, requisites)
    items = [(s, [c for key, c in codes.items() if key[0] == s.plot.id]) for s in statuses]
    return receipts_pdf(current_app.config["NAME"], requisites, items)


def debtors_receipts(numbers: tuple[str, ...] = (), include_paid: bool = False) -> tuple[bytes, int]:
    """One PDF for every plot with an amount due (or every plot with `include_paid`), optionally
    only `numbers`: the bytes and the number of receipts. ValueError (Russian) when there are none."""
    query = select(Plot).order_by(Plot.sort_key)
    if numbers:
        query = query.where(Plot.number.in_(numbers))
    statuses = payment_status(list(db.session.scalars(query)))
    if not include_paid:
        statuses = [s for s in statuses if s.due > 0]
    if not statuses:
        raise ValueError("Нет участков с суммой к оплате.")
    return receipts_for(statuses), len(statuses)


def debtors_receipts_download(by: Account | None) -> tuple[bytes, int]:
    """debtors_receipts for the admin's download, audited like an export (the lock is taken only
    for the audit entry, after the PDF is made)."""
    pdf, count = debtors_receipts()
    with write_transaction():
        audit.record("export.receipts", by, details=f"PDF, квитанций: {count}")
    return pdf, count


def _receipt_page(
    pdf: "FPDF", snt_name: str, requisites: Requisites | None, status: PlotStatus, codes: list[PaymentCode]
) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, f"Квитанция на оплату — участок {status.plot.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
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
    pdf.cell(120, 7, "Статья", border=1)
    pdf.cell(35, 7, "К оплате, ₽", border=1, align="R")
    pdf.cell(35, 7, "Аванс, ₽", border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for row in status.rows:
        pdf.cell(120, 7, row_label(row), border=1)
        pdf.cell(35, 7, format_money(row.due), border=1, align="R")
        pdf.cell(35, 7, format_money(row.prepaid), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(120, 7, "Итого к оплате", border=1)
    pdf.cell(35, 7, format_money(status.due), border=1, align="R")
    pdf.cell(35, 7, format_money(status.prepaid), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for code in codes:
        pdf.ln(4)
        if pdf.get_y() > 230:
            pdf.add_page()
        top = pdf.get_y()
        pdf.image(io.BytesIO(code.png(scale=6)), x=pdf.l_margin, y=top, w=40, h=40)
        pdf.set_xy(pdf.l_margin + 45, top)
        pdf.multi_cell(
            0,
            5,
            f"{code.label}: {format_money(code.amount)} ₽\nНазначение платежа: {code.purpose}\n"
            "Отсканируйте QR-код в приложении банка: реквизиты и сумма заполнятся сами.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_y(top + 42)
