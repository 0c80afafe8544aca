"""Payment status and electricity print on A4: no menu, the whole table on the paper."""

import re

import pytest

from tests.e2e.conftest import DESKTOP, demo_member

MARGIN_MM = 12  # @page in static/style.css


def paper(pdf: bytes) -> tuple[float, float]:
    """Width and height in mm of the PDF's first page."""
    width, height = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf).groups()
    return round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)


@pytest.mark.parametrize(
    "item, heading, sheet",
    [
        ("Статус моих оплат", "Статус моих оплат от 6 июня 2022", (210, 297)),
        ("Показания моих счетчиков электричества", "Показания моих счетчиков электричества", (297, 210)),
    ],
)
def test_cabinet_tables_print_whole_on_a4(browse_demo, item, heading, sheet):
    orlova = demo_member(browse_demo, DESKTOP)  # printing is done from a computer
    orlova.menu("Мои данные", item, heading)
    page = orlova.page
    pdf = page.pdf(prefer_css_page_size=True)
    assert paper(pdf) == sheet  # A4, landscape for the 14 columns of electricity
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1

    # The same layout on screen: the printable width of that sheet, print media.
    printable = round((sheet[0] - 2 * MARGIN_MM) / 25.4 * 96)
    page.set_viewport_size({"width": printable, "height": 1000})
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Главное меню").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    for table in page.locator("table").all():
        right = table.evaluate("t => t.getBoundingClientRect().right")
        assert right <= printable, f"the table is {right} px wide, the paper {printable} px"
