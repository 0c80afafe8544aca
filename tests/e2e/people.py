"""A person in front of the browser: finds things by their visible names and labels, and taps
on a phone. Every page they arrive at is checked (tests/e2e/checks.py)."""

from playwright.sync_api import expect

from tests.e2e.checks import page_problems


class Person:
    def __init__(self, page, site, touch: bool = False):
        self.page = page
        self.site = site
        self.touch = touch

    # --- moving around -------------------------------------------------------------------------
    def open(self, path: str, heading: str | None = None) -> "Person":
        self.page.goto(path)
        return self.arrived(heading)

    def arrived(self, heading: str | None = None) -> "Person":
        """Wait for the page (by its main heading), then check its layout and accessibility."""
        if heading is not None:
            expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        self.page.wait_for_load_state()
        problems = page_problems(self.page)
        assert problems == [], f"{self.page.url}: {problems}"
        return self

    def press(self, locator) -> None:
        """A tap on a phone, a click elsewhere."""
        if self.touch:
            locator.tap()
        else:
            locator.click()

    def follow(self, locator, heading: str | None = None) -> "Person":
        """Press a link or a submit button and arrive at the page it leads to."""
        with self.page.expect_navigation():
            self.press(locator)
        return self.arrived(heading)

    def menu(self, group: str, item: str, heading: str | None = None) -> "Person":
        """Open a drop-down of the main menu and choose an item in it."""
        nav = self.page.get_by_role("navigation", name="Главное меню")
        self.press(nav.locator("summary", has_text=group))
        choice = nav.get_by_role("link", name=item, exact=True).or_(
            nav.get_by_role("button", name=item, exact=True)
        )
        return self.follow(choice, heading)

    def submit(self, button: str, heading: str | None = None) -> "Person":
        return self.follow(self.page.get_by_role("button", name=button, exact=True), heading)

    def fill(self, **by_label: str) -> "Person":
        """fill(**{"Номер участка (логин)": "269"}): types into the field with that label."""
        for label, value in by_label.items():
            self.page.get_by_label(label, exact=True).fill(value)
        return self

    # --- what a member does --------------------------------------------------------------------
    def register(self, plot: str, email: str, password: str) -> "Person":
        self.menu("Мои данные", "Зарегистрироваться", "Зарегистрироваться")
        self.fill(
            **{
                "Номер участка (логин)": plot,
                "Адрес электропочты": email,
                "Пароль": password,
                "Подтвердить пароль": password,
            }
        )
        self.press(self.page.get_by_label("Я согласен(на) на обработку моих персональных данных"))
        return self.submit("Зарегистрироваться", "Проверьте почту")

    def open_emailed_link(self, email: str, path_part: str, heading: str | None = None) -> "Person":
        return self.open(self.site.mailbox.link(email, path_part), heading)

    def log_in(self, login: str, password: str, heading: str | None = None) -> "Person":
        self.menu("Мои данные", "Войти", "Вход в личный кабинет")
        return self.log_in_here(login, password, heading)

    def log_in_here(self, login: str, password: str, heading: str | None = None) -> "Person":
        """Fill in the login form of the page already open."""
        self.fill(**{"Номер участка или адрес электропочты": login, "Пароль": password})
        return self.submit("Войти", heading)

    def log_out(self) -> "Person":
        return self.menu("Мои данные", "Выйти", "Объявления")

    def enter_plots(self, plots: str) -> "Person":
        self.menu("Мои данные", "Изменить регистрационные данные", "Изменить регистрационные данные")
        self.fill(**{"Номера участков": plots})
        return self.submit("Сохранить")

    # --- reading ---------------------------------------------------------------------------------
    def text(self) -> str:
        return " ".join(self.page.locator("main").inner_text().split())

    def row(self, selector: str) -> list[str]:
        """The cells of the first table row matching `selector`, as the person reads them."""
        cells = self.page.locator(selector).first.locator("th, td").all_inner_texts()
        return [" ".join(c.replace("\u00a0", " ").split()) for c in cells]
