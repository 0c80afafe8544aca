"""The demo partnership for `flask seed-demo`: ~50 plots, 14 months of readings, fees, payments.

Plots 269 and 270 carry exactly the reference case (tests/conftest.py: add_reference_case).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import (
    Account,
    Announcement,
    Charge,
    DataImport,
    MainReading,
    Meeting,
    Page,
    Payment,
    Plot,
    PlotClaim,
    Reading,
    Tariff,
    utcnow,
)
from snt.passwords import hash_password
from snt.payments.fees import accrue_fees
from snt.payments.requisites import Requisites, save_requisites

DEMO_REQUISITES = Requisites(
    name="СНТ «Аникино»",
    inn="5012345672",
    kpp="501201001",
    account="40703810538000001234",
    bank_name="ПАО Сбербанк",
    bik="044525225",
    corr_account="30101810400000000225",
)
DEMO_PASSWORDS = {
    "269": "Anikino-269",  # member Орлова Н. В., plots 269 and 270
    "board@example.ru": "Pravlenie-2022",
    "treasurer@example.ru": "Kaznachei-2022",
}
REFERENCE = {  # the reference case: readings on 04-01, 05-01, 06-01 of 2022
    "269": [(9012, 2901), (9012, 2901), (9532, 3118)],
    "270": [(344, 244), (344, 244), (346, 244)],
}
SURNAMES = [
    "Иванов", "Смирнова", "Кузнецов", "Попова", "Васильев", "Петрова", "Соколов", "Михайлова",
    "Новиков", "Фёдорова", "Морозов", "Волкова", "Алексеев", "Лебедева", "Семёнов", "Егорова",
]  # fmt: skip
READING_DATES = [date(2021 + (3 + m) // 12, (3 + m) % 12 + 1, 1) for m in range(15)]  # 2021-04 … 2022-06


class DemoError(RuntimeError):
    pass


def seed_demo() -> dict[str, str]:
    """Fill an empty database with the demo partnership. Returns the demo logins and passwords."""
    if db.session.scalar(select(func.count()).select_from(Plot)):
        raise DemoError("База не пуста: демо-данные заполняются только в пустую базу.")
    plots = _plots()
    _tariffs()
    _readings(plots)
    db.session.flush()
    _main_meter()
    bill_periods([p.id for p in plots.values()])
    accrue_fees(2021, per_sotka=Decimal("900"), due_on=date(2021, 6, 30))
    accrue_fees(2022, per_sotka=Decimal("1000"), due_on=date(2022, 6, 30))
    db.session.flush()
    _payments(plots)
    _accounts(plots)
    _content()
    save_requisites(DEMO_REQUISITES)
    db.session.add(DataImport(kind="readings", filename="pokazaniya-2022-06.xlsx", rows=48,
                              imported_at=datetime(2022, 6, 2, 10, 0)))  # fmt: skip
    db.session.add(DataImport(kind="payments", filename="vypiska-2022-06.txt", rows=12,
                              imported_at=datetime(2022, 6, 6, 9, 30)))  # fmt: skip
    db.session.commit()
    return DEMO_PASSWORDS


def _plots() -> dict[str, Plot]:
    plots = {}
    for n in range(221, 273):
        number = str(n)
        reference = number in REFERENCE
        plots[number] = Plot(
            number=number,
            street=str(min(5, (n - 221) // 10 + 1)),
            area=Decimal("7.2") if reference else Decimal(str(5 + (n * 7) % 8)) + Decimal("0.5") * (n % 2),
            electrified=reference or n % 13 != 0,
            two_tariff=reference or (n % 13 != 0 and n % 3 != 0),  # no meter without electricity
            owner_name="Орлова Наталья Викторовна" if reference else f"{SURNAMES[n % 16]} {chr(0x410 + n % 20)}. {chr(0x410 + n % 7)}.",
            email="orlova269@example.ru" if reference else f"owner{n}@example.ru",
            phone="89031221105" if reference else f"8916{n:07d}",
        )  # fmt: skip
    plots["270"].owners = list(plots["269"].owners)  # one owner of both plots: one person
    plots["12а"] = Plot(number="12а", street="1", area=Decimal("4.5"), electrified=True, two_tariff=True,
                        owner_name="Белова Ирина", email="belova12a@example.ru", phone="89250001122")  # fmt: skip
    db.session.add_all(plots.values())
    return plots


def _tariffs() -> None:
    for valid_from, single, day, night in [
        (date(2021, 1, 1), "5.66", "6.51", "2.53"),
        (date(2021, 7, 1), "5.93", "6.82", "2.65"),  # in force in 2022 (the reference case)
        (date(2022, 7, 1), "6.17", "7.09", "2.76"),
    ]:
        db.session.add(
            Tariff(valid_from=valid_from, single=Decimal(single), day=Decimal(day), night=Decimal(night))
        )


def _monthly_use(n: int, month: int) -> tuple[int, int]:
    summer = month in (5, 6, 7, 8, 9)
    base = 60 + (n * 37) % 140
    day = base * (3 if summer else 1)
    return day, day // 3 + (n % 11)


def _readings(plots: dict[str, Plot]) -> None:
    for number, plot in plots.items():
        if not plot.electrified:
            continue
        n = int("".join(ch for ch in number if ch.isdigit()))
        if number in REFERENCE:
            values = _backwards(REFERENCE[number][0], n, len(READING_DATES) - 3) + REFERENCE[number]
        else:
            values = _forwards((1000 + n * 13, 500 + n * 7), n)
        for taken_on, (day, night) in zip(READING_DATES, values, strict=True):
            if plot.two_tariff:
                reading = Reading(plot=plot, taken_on=taken_on, day=Decimal(day), night=Decimal(night),
                                  total=Decimal(day + night))  # fmt: skip
            else:
                reading = Reading(plot=plot, taken_on=taken_on, total=Decimal(day + night))
            db.session.add(reading)


def _main_meter() -> None:
    """The transformer meter: the members' use plus about 8 % losses, so «Потери» has data."""
    sums = db.session.execute(
        select(Reading.taken_on, func.sum(Reading.total))
        .group_by(Reading.taken_on)
        .order_by(Reading.taken_on)
    ).all()
    first = sums[0][1]
    for taken_on, total in sums:
        db.session.add(
            MainReading(
                taken_on=taken_on, total=(50000 + (total - first) * Decimal("1.08")).quantize(Decimal(1))
            )
        )


def _forwards(start: tuple[int, int], n: int) -> list[tuple[int, int]]:
    values = [start]
    for taken_on in READING_DATES[:-1]:
        day, night = _monthly_use(n, taken_on.month)
        values.append((values[-1][0] + day, values[-1][1] + night))
    return values


def _backwards(first_known: tuple[int, int], n: int, count: int) -> list[tuple[int, int]]:
    """Earlier readings of a reference plot: 269 uses a steady 400-600 kWh a month, 270 almost nothing."""
    values = [first_known]
    for taken_on in reversed(READING_DATES[:count]):
        summer = taken_on.month in (5, 6, 7, 8, 9)
        day, night = ((450, 180) if summer else (300, 120)) if n == 269 else (0, 0)
        values.insert(0, (values[0][0] - day, values[0][1] - night))
    return values[:-1]


def _payments(plots: dict[str, Plot]) -> None:
    """2021 fees paid by all; 2022 by some; electricity paid in full by 269 and 270."""
    charges = db.session.scalars(select(Charge)).all()
    electricity: dict[int, Decimal] = {}
    for charge in charges:
        if charge.kind == Charge.ELECTRICITY:
            electricity[charge.plot_id] = electricity.get(charge.plot_id, Decimal(0)) + charge.amount
    ref = 1
    for charge in charges:
        plot = charge.plot
        n = int("".join(ch for ch in plot.number if ch.isdigit()))
        pays = charge.kind == Charge.MEMBERSHIP and (
            charge.year == 2021 or (plot.number not in REFERENCE and n % 4 == 0)
        )
        if pays:
            db.session.add(Payment(plot=plot, paid_on=date(charge.year, 5, 10 + n % 15), amount=charge.amount,
                                   kind=Charge.MEMBERSHIP, reference=f"DEMO-{ref:05d}", source=Payment.STATEMENT,
                                   purpose=f"Членские взносы {charge.year}, уч. {plot.number}",
                                   for_year=charge.year))  # fmt: skip
            ref += 1
    for number, plot in plots.items():
        if plot.id not in electricity:
            continue
        n = int("".join(ch for ch in number if ch.isdigit()))
        total = electricity[plot.id]
        share = total if number in REFERENCE or n % 5 else (total * Decimal("0.6")).quantize(Decimal("0.01"))
        first = (share / 2).quantize(Decimal("0.01"))
        purpose = f"Оплата электроэнергии, уч. {number}"
        db.session.add(Payment(plot=plot, paid_on=date(2021, 12, 15), amount=first, kind=Charge.ELECTRICITY,
                               reference=f"DEMO-{ref:05d}", source=Payment.STATEMENT, purpose=purpose))  # fmt: skip
        db.session.add(Payment(plot=plot, paid_on=date(2022, 6, 4), amount=share - first, kind=Charge.ELECTRICITY,
                               reference=f"DEMO-{ref + 1:05d}", source=Payment.STATEMENT, purpose=purpose))  # fmt: skip
        ref += 2


def _accounts(plots: dict[str, Plot]) -> None:
    now = utcnow()
    member = Account(
        login_plot=plots["269"], email="orlova269@example.ru", email_confirmed_at=now,
        password_hash=hash_password(DEMO_PASSWORDS["269"]), full_name="Орлова Наталья Викторовна",
        contact_persons="Орлов Виктор Петрович (сын), 89160000270", phone="89031221105", sms_consent=True,
        pd_consent_at=now,
    )  # fmt: skip
    member.claims = [
        PlotClaim(plot=plots[n], status=PlotClaim.VERIFIED, decided_at=now, reason="демо-данные")
        for n in ("269", "270")
    ]
    db.session.add(member)
    for email, role, name in [
        ("board@example.ru", "board", "Председатель правления (демо)"),
        ("treasurer@example.ru", "treasurer", "Казначей (демо)"),
    ]:
        db.session.add(Account(email=email, role=role, full_name=name, email_confirmed_at=now,
                               password_hash=hash_password(DEMO_PASSWORDS[email])))  # fmt: skip


PAGES = {
    "charter": ("Устав", "Устав товарищества принят общим собранием членов СНТ «Аникино» 15 мая 2019 года.\n\n"
                "Члены товарищества вправе знакомиться с уставом, сметой, отчётами и протоколами собраний "
                "(статья 11 Федерального закона № 217-ФЗ)."),
    "board": ("Правление", "Председатель правления — Смирнов Андрей Павлович.\n\nКазначей — Кузнецова Ольга Игоревна.\n\n"
              "Члены правления: Волков Дмитрий Сергеевич, Лебедева Анна Михайловна."),
    "budget": ("Смета", "Приходно-расходная смета на 2022 год утверждена общим собранием 14 мая 2022 года. "
               "Членский взнос — 1 000 рублей за сотку."),
    "reports": ("Отчёты", "Отчёт ревизионной комиссии за 2021 год принят общим собранием 14 мая 2022 года."),
    "minutes": ("Протоколы собраний", "Протокол общего собрания членов СНТ от 14 мая 2022 года."),
    "requisites": ("Реквизиты для оплаты", "Получатель: СНТ «Аникино»\nИНН 5012345672, КПП 501201001\n"
                   "Расчётный счёт 40703810538000001234\nБанк: ПАО Сбербанк, БИК 044525225, к/с 30101810400000000225\n\n"
                   "В назначении платежа укажите номер участка, например: «Членские взносы 2022, уч. 269»."),
    "contacts": ("Контакты", "Правление принимает по субботам с 10:00 до 13:00 в сторожке у въезда.\n\n"
                 "Телефон правления: 8 (916) 000-00-00 (по субботам).\nАдрес: Московская область, деревня Аникино."),
    "privacy": ("Политика обработки персональных данных",
                "СНТ «Аникино» обрабатывает персональные данные членов товарищества и правообладателей участков "
                "(ФИО, номер участка, адрес электропочты, номер телефона, показания счётчиков и сведения об оплатах) "
                "для ведения реестра членов, расчёта взносов и платы за электроэнергию и для связи с вами, "
                "на основании Федерального закона № 152-ФЗ «О персональных данных» и № 217-ФЗ.\n\n"
                "Данные хранятся на сервере товарищества и не передаются третьим лицам, кроме оператора "
                "SMS-рассылки (только номер телефона и текст сообщения), если вы согласились получать SMS.\n\n"
                "Вы можете в любой момент отозвать согласие, написав правлению через форму обратной связи."),
}  # fmt: skip


def _content() -> None:
    for slug, (title, body) in PAGES.items():
        db.session.add(Page(slug=slug, title=title, body=body))
    for days_ago, title, body, public, pinned in [
        (1, "Показания счётчиков за май загружены",
         "Показания на 1 июня 2022 года загружены в личный кабинет. Оплатить электроэнергию нужно до 5 числа.",
         True, True),
        # 25 April: 19 days before the meeting, as 217-ФЗ art. 17 ч. 13 asks (at least two weeks).
        (38, "Общее собрание 14 мая 2022 года",
         "Общее собрание членов СНТ состоится 14 мая 2022 года в 11:00 у сторожки. Повестка: отчёт правления, смета на 2022 год.",
         True, False),
        (45, "Вывоз мусора",
         "С 1 мая контейнеры для мусора вывозятся по вторникам и пятницам.", True, False),
        (10, "Для членов товарищества: проект сметы",
         "Проект сметы на 2022 год можно посмотреть в разделе «Финансы — Смета». Замечания присылайте через форму обратной связи.",
         False, False),
    ]:  # fmt: skip
        db.session.add(Announcement(title=title, body=body, is_public=public, pinned=pinned,
                                    published_at=datetime(2022, 6, 2, 12, 0) - timedelta(days=days_ago)))  # fmt: skip
    # The meeting that announcement told of, held: «Собрания» lists it among the past ones.
    db.session.add(Meeting(held_on=date(2022, 5, 14), starts_at=time(11, 0), place="у сторожки",
                           agenda="Отчёт правления за 2021 год\nУтверждение приходно-расходной сметы на 2022 год",
                           notice_started_at=datetime(2022, 4, 25, 9, 0)))  # fmt: skip
