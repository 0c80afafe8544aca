"""Screenshots of the main pages of the demo partnership (the member 269 of the reference case), at phone and
desktop width, written to docs/screenshots/ for the README. Rewritten only when a pixel changed."""

import os
from pathlib import Path

from tests.e2e.conftest import DESKTOP, PHONE, demo_member

SHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
PAGES = [  # file name, path, main heading
    ("announcements", "/", "Объявления"),
    ("payments", "/my-data/payments/", "Статус моих оплат от 6 июня 2022"),
    ("electricity", "/my-data/electricity/", "Показания моих счетчиков электричества"),
    ("my-data", "/my-data/edit", "Изменить регистрационные данные"),
]
TALLEST = 1300  # px of a phone page kept: under two screens


def save(page, name: str, full_page: bool = True) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, TALLEST)} if full_page else None
    png = page.screenshot(full_page=full_page, clip=clip, animations="disabled", caret="hide")
    target = SHOTS / f"{name}.png"
    if target.exists() and target.read_bytes() == png:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".png.tmp")
    temporary.write_bytes(png)
    os.replace(temporary, target)


def test_phone_screenshots(browse_demo):
    orlova = browse_demo.person(PHONE)
    orlova.open("/auth/login", "Вход в личный кабинет")
    save(orlova.page, "phone-login")
    orlova = demo_member(browse_demo, PHONE)
    for name, path, heading in PAGES:
        orlova.open(path, heading)
        save(orlova.page, f"phone-{name}")
        if name == "electricity":  # scrolled to the costs, the plot column still in view
            orlova.page.locator(".table-box").evaluate("box => box.scrollLeft = box.scrollWidth")
            save(orlova.page, "phone-electricity-scrolled")
    orlova.press(orlova.page.locator("nav summary", has_text="Мои данные"))
    save(orlova.page, "phone-menu", full_page=False)


def test_desktop_screenshots(browse_demo):
    orlova = demo_member(browse_demo, DESKTOP)
    for name, path, heading in PAGES[:3]:
        orlova.open(path, heading)
        save(orlova.page, f"desktop-{name}", full_page=False)
