"""The registry knows its people (issue 16 item 1): persons linked to plots, co-owners, the data
migration from the plot's owner fields, the import's matching and its uncertain matches."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text

from snt import create_app
from snt.extensions import db
from snt.models import Person, Plot
from tests.helpers import DATA, database_uri, page_text, write_csv

HEADER = [
    "Участок",
    "Улица",
    "Площадь",
    "Владелец",
    "Эл. почта",
    "Телефон",
    "Почтовый адрес",
    "Член товарищества",
]


def test_the_data_migration_makes_persons_of_the_plot_owner_fields(tmp_path):
    uri = database_uri(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade(revision="0007")
        engine = create_engine(uri)
        with engine.begin() as conn:
            for n, (number, name, email) in enumerate(
                [
                    ("269", "Орлова Наталья Викторовна", "Orlova269@example.ru"),
                    ("270", "Орлова Наталья Викторовна", "orlova269@example.ru"),
                    ("271", "Громов Алексей", ""),
                    ("272", "Громов Алексей", ""),  # a namesake without an email: not merged
                    ("273", "", ""),
                ]
            ):
                conn.execute(
                    text(
                        "INSERT INTO plot (id, number, sort_key, street, area, electrified, two_tariff, "
                        "owner_name, email, phone) VALUES (:id, :n, :n, '5', 720, true, true, :o, :e, '')"
                    ),
                    {"id": n + 1, "n": number, "o": name, "e": email},
                )
            # Rows referring to the plots: rebuilding the plot table must keep them and their links.
            conn.execute(
                text(
                    "INSERT INTO reading (plot_id, taken_on, day, night, total, meter_start, created_at) "
                    "VALUES (1, '2022-04-01', 901200, 290100, 1191300, false, '2022-04-01 00:00:00')"
                )
            )
        engine.dispose()
        upgrade()
        plots = {p.number: p for p in db.session.scalars(select(Plot))}
        assert plots["269"].owners == plots["270"].owners  # one person owning two plots
        assert plots["269"].owners[0].email == "orlova269@example.ru"
        assert plots["271"].owners != plots["272"].owners
        assert plots["273"].owners == []
        assert db.session.query(Person).count() == 3
        assert plots["271"].owner_name == "Громов Алексей" and plots["271"].cadastral_number == ""
        assert db.session.execute(text("SELECT count(*) FROM reading WHERE plot_id = 1")).scalar() == 1
        db.session.remove()
        downgrade(revision="0007")
        engine = create_engine(uri)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT number, owner_name, email FROM plot ORDER BY number")).all()
        engine.dispose()
        assert rows[0] == ("269", "Орлова Наталья Викторовна", "orlova269@example.ru")
        assert rows[3] == ("272", "Громов Алексей", "")


def persons(app) -> dict[str, list[str]]:
    """Each person's name -> their plots."""
    with app.app_context():
        return {
            f"{p.full_name} #{p.id}": [plot.number for plot in p.plots]
            for p in db.session.scalars(select(Person).order_by(Person.id))
        }


def test_the_sample_registry_makes_one_person_per_owner(app, cli):
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    owners = persons(app)
    assert list(owners.values()) == [["268"], ["269", "270"], ["271"], ["12а"]]
    assert "Ничего не изменилось" in cli("import-plots", str(DATA / "registry-cp1251.csv"))
    assert len(persons(app)) == 4


def test_namesakes_are_listed_not_merged(app, cli, tmp_path):
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    rows = [
        HEADER,
        ["300", "7", "6", "Громов Алексей", "", "", "", "Да"],  # a namesake of 271's owner
        ["301", "7", "6", "Белова Ирина", "", "", "", "Да"],
    ]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert (
        "строка 2: уч. 300: владелец «Громов Алексей» совпадает по имени с уже известным (уч. 271), но ни "
        "электропочта, ни почтовый адрес не совпали — заведён отдельный владелец, не объединён." in output
    )
    assert (
        "строка 3: уч. 301: владелец «Белова Ирина» совпадает по имени с уже известным (уч. 12а, "
        "belova12a@example.ru)" in output
    )
    owners = persons(app)
    assert len(owners) == 6 and ["271"] in owners.values() and ["300"] in owners.values()


def test_the_same_name_and_postal_address_is_one_person(app, cli, tmp_path):
    rows = [
        HEADER,
        ["300", "7", "6", "Зайцев Иван", "", "", "Москва, ул. Лесная, 1, кв. 2", "Нет"],
        ["301", "7", "6", "зайцев  иван", "", "89161234567", "москва, ул. лесная, 1, кв. 2", "Нет"],
        ["302", "7", "6", "Зайцев Иван", "", "", "Тула, ул. Мира, 5", "Да"],
    ]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert "строка 4: уч. 302: владелец «Зайцев Иван» совпадает по имени" in output
    assert list(persons(app).values()) == [["300", "301"], ["302"]]
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "300"))
        owner = plot.owners[0]
        assert (owner.phone, owner.is_member, owner.postal_address) == (
            "89161234567",
            False,
            "москва, ул. лесная, 1, кв. 2",
        )


def test_optional_registry_columns(app, cli, tmp_path):
    rows = [
        [
            "Участок",
            "Владелец",
            "Почтовый адрес",
            "Член товарищества",
            "Дата вступления",
            "Кадастровый номер",
        ],
        ["5", "Иванов Иван", "Тула, ул. Мира, 5", "Нет", "01.06.2015", "50:20:0010203:123"],
    ]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert "добавлено участков — 1" in output and "не распознан" not in output
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "5"))
        owner = plot.owners[0]
        assert plot.cadastral_number == "50:20:0010203:123" and not plot.has_member_owner
        assert (owner.full_name, owner.is_member, str(owner.member_since)) == (
            "Иванов Иван",
            False,
            "2015-06-01",
        )
    bad = [rows[0], ["6", "Петров", "", "может быть", "32.13.2015", "123"]]
    output = cli("import-plots", write_csv(tmp_path / "b.csv", bad), fails=True)
    assert "член товарищества: «может быть» — не понятно, нужно «Да» или «Нет»" in output
    assert "дата вступления: «32.13.2015» — не дата" in output
    assert "«123» — не кадастровый номер (нужно вида 50:20:0010203:123)" in output


def test_the_exported_registry_reads_back_unchanged(app, cli, accounts, tmp_path):
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    treasurer = accounts.staff("treasurer")
    exported = tmp_path / "export.csv"
    exported.write_bytes(treasurer.get("/admin/exports/registry.csv").data)
    output = cli("import-plots", str(exported))
    assert "Ничего не изменилось" in output


def test_co_owners_on_the_person_page(app, reference, accounts):
    treasurer = accounts.staff("treasurer")
    data = {
        "full_name": "Орлов Пётр Ильич",
        "email": "orlov@example.ru",
        "phone": "",
        "postal_address": "Москва, ул. Садовая, 1",
        "is_member": "y",
        "member_since": "2020-05-01",
        "plots": "269, 270",
    }
    response = treasurer.post("/admin/persons/new/save", data=data)
    assert response.status_code == 302
    text = page_text(treasurer.get("/admin/plots/269"))
    assert "Владельцы по реестру Владелец 269 — член товарищества" in text
    assert "Орлов Пётр Ильич — член товарищества, Москва, ул. Садовая, 1" in text
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "270"))
        assert [o.full_name for o in plot.owners] == ["Владелец 270", "Орлов Пётр Ильич"]
        assert plot.emails == {"orlova269@example.ru", "orlov@example.ru"}
    bad = treasurer.post("/admin/persons/new/save", data=data | {"plots": "269, 999"})
    assert bad.status_code == 422 and "Нет в реестре участков: 999." in page_text(bad)
    board = accounts.staff("board", email="board2@example.ru")
    assert board.post("/admin/persons/new/save", data=data).status_code == 403


def test_non_members_pay_for_the_common_property(app, cli, accounts, tmp_path):
    rows = [
        ["Участок", "Площадь", "Владелец", "Эл. почта", "Член товарищества"],
        ["5", "6", "Иванов Иван", "ivanov5@example.ru", "Нет"],
        ["6", "6", "Петров Пётр", "petrov6@example.ru", "Да"],
    ]
    cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    cli("accrue-fees", "--year", "2026", "--per-sotka", "1000")
    assert "Ничего не изменилось" in cli("accrue-fees", "--year", "2026", "--per-sotka", "1000")
    board = accounts.staff("board")
    assert "Плата за пользование имуществом общего пользования 2026" in page_text(board.get("/admin/plots/5"))
    six = page_text(board.get("/admin/plots/6"))
    assert "Членские взносы" in six and "имуществом общего пользования" not in six


def test_the_person_form_posts_to_its_save_address(app, reference, accounts):
    treasurer = accounts.staff("treasurer")
    assert 'action="/admin/persons/new/save"' in treasurer.get("/admin/persons/new?plot=269").get_data(
        as_text=True
    )
    assert 'action="/admin/persons/1/save"' in treasurer.get("/admin/persons/1").get_data(as_text=True)


def test_the_registry_search_finds_a_co_owner(app, reference, accounts):
    treasurer = accounts.staff("treasurer")
    data = {
        "full_name": "Зайцева Мария",
        "email": "zaitseva@example.ru",
        "phone": "89160000001",
        "plots": "271",
    }
    assert treasurer.post("/admin/persons/new/save", data=data | {"is_member": "y"}).status_code == 302
    for query in ("Зайцева", "zaitseva@", "0000001"):
        text = page_text(treasurer.get(f"/admin/plots/?q={query}"))
        assert "Владелец 271, Зайцева Мария" in text, query


def test_co_owners_are_rows_with_the_same_plot_number(app, cli, accounts, tmp_path):
    """A treasurer types co-owners in Excel as several rows of one plot: each row one owner, the
    plot's columns repeated or left empty; they are matched to persons as single owners are."""
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    rows = [
        HEADER,
        ["271", "7", "6", "Громов Алексей", "", "", "Тула, ул. Мира, 5", "Да"],
        ["271", "", "", "Громова Ольга", "olga@example.ru", "", "Тула, ул. Мира, 5", "Нет"],
        ["271", "7", "6", "Орлова Наталья Викторовна", "orlova269@example.ru", "", "", "Да"],  # by email
        ["272", "8", "6", "Белова Ирина", "", "", "", "Да"],  # a namesake of 12а's owner: reported
        ["272", "8", "", "Белов Павел", "", "", "", "Да"],
    ]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert (
        "уч. 271: улица «5» → «7»; площадь 8,5 → 6; владелец «Громов Алексей» → «Громов Алексей», "
        "«Громова Ольга», «Орлова Наталья Викторовна»; эл. почта — → «olga@example.ru», "
        "«orlova269@example.ru»; почтовый адрес — → «Тула, ул. Мира, 5», «Тула, ул. Мира, 5»; "
        "член товарищества Да → Да, Нет, Да" in output
    )
    assert "добавлен участок 272" in output
    assert "строка 5: уч. 272: владелец «Белова Ирина» совпадает по имени с уже известным (уч. 12а" in output
    owners = persons(app)
    assert owners["Орлова Наталья Викторовна #2"] == ["269", "270", "271"]
    assert ["271"] in owners.values() and owners["Белов Павел #7"] == ["272"]
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "271"))
        assert [(o.full_name, o.is_member) for o in plot.owners] == [
            ("Орлова Наталья Викторовна", True),
            ("Громов Алексей", True),
            ("Громова Ольга", False),
        ]
        assert plot.street == "7" and plot.emails == {"orlova269@example.ru", "olga@example.ru"}
    again = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert "Ничего не изменилось" in again and "строка 5: уч. 272" not in again  # now its own owner

    # The export writes one row per owner and reads back unchanged.
    exported = tmp_path / "export.csv"
    exported.write_bytes(accounts.staff("treasurer").get("/admin/exports/registry.csv").data)
    lines = exported.read_bytes().decode("utf-8-sig").splitlines()
    assert [line.split(";")[5] for line in lines if line.startswith("271;")] == [
        "Орлова Наталья Викторовна",
        "Громов Алексей",
        "Громова Ольга",
    ]
    assert "Ничего не изменилось" in cli("import-plots", str(exported))

    # A row less: that co-owner no longer owns the plot (the person stays in the registry).
    output = cli("import-plots", write_csv(tmp_path / "r2.csv", rows[:3] + rows[4:]))
    assert "уч. 271: владелец «Орлова Наталья Викторовна», «Громов Алексей», «Громова Ольга» → " in output
    assert persons(app)["Орлова Наталья Викторовна #2"] == ["269", "270"]


def test_co_owner_rows_must_agree_on_the_plot(app, cli, tmp_path):
    rows = [
        HEADER,
        ["5", "7", "6", "Иванов Иван", "", "", "", "Да"],
        ["5", "8", "6", "Иванова Мария", "", "", "", "Да"],
        ["6", "1", "6", "Петров Пётр", "", "", "", "Да"],
        ["6", "1", "6", "", "", "", "", "Да"],  # no owner: not a co-owner's row
    ]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows), fails=True)
    assert (
        "строка 3: уч. 5: улица «8», а в строке 2 «7» — в строках совладельцев одного участка поля участка "
        "повторяют одинаково или оставляют пустыми" in output
    )
    assert (
        "строка 5: участок 6 уже есть в строке 4: несколько строк одного участка — это его совладельцы, "
        "и в каждой нужен владелец (ФИО или электропочта)" in output
    )
    assert persons(app) == {}
