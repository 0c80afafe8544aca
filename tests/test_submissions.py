"""Members pass their readings (issue 15): the page, the checks on the spot, the photo."""

from datetime import date
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from snt.extensions import db
from snt.models import ReadingSubmission
from tests.helpers import jpeg_with_gps, page_text, whole_form
from tests.helpers import send_reading as send

JUNE_25 = date(2022, 6, 25)  # the window for «на 1 июля 2022» is open (from the 20th)


@pytest.fixture
def orlova(app, reference, accounts):
    app.config["TODAY"] = JUNE_25
    return accounts.member("269", "orlova269@example.ru")


def submissions():
    return list(db.session.scalars(select(ReadingSubmission).order_by(ReadingSubmission.id)))


def test_the_page_shows_the_1st_and_the_last_accepted_reading(orlova):
    text = page_text(orlova.get("/my-data/readings/"))
    assert "Участок 269: показания на 1 июля 2022" in text
    assert "Последние принятые показания на 1 июня 2022: день (Т1) 9532, ночь (Т2) 3118." in text
    assert "Показания на 1 июля 2022 принимаются до 30 июня 2022 включительно." in text


def test_day_and_night_with_a_photo_wait_for_the_treasurer(app, orlova):
    response = send(orlova, day="9 990", night="3300,5", photo=jpeg_with_gps())
    assert response.status_code == 302
    text = page_text(orlova.get("/my-data/readings/"))
    assert "на 1 июля 2022: день 9990, ночь 3300,5 — на проверке" in text
    with app.app_context():
        [kept] = submissions()
        assert (kept.period, kept.state, kept.flags) == (date(2022, 7, 1), "pending", "")
        assert kept.photo_taken_at.isoformat() == "2022-06-24T18:05:00"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"day": "9500", "night": "3200"},
            "Показания меньше последних принятых (на 1 июня 2022: день 9532, ночь 3118)",
        ),
        ({"day": "520", "night": "217"}, "Похоже, это расход за месяц, а не показания"),
        ({"day": "3300", "night": "9990"}, "Похоже, день и ночь перепутаны"),
        ({"day": "9990", "night": ""}, "Обязательное поле."),
        ({"day": "99x0", "night": "3300"}, "«99x0» — не число"),
        ({"day": "-9990", "night": "3300"}, "«-9990» — отрицательное число"),
        ({"day": "9990,123", "night": "3300"}, "не больше 2 знаков после запятой"),
    ],
)
def test_a_wrong_reading_is_refused_with_what_to_do(app, orlova, values, message):
    response = send(orlova, **values)
    assert response.status_code == 422
    assert message in page_text(response)
    with app.app_context():
        assert submissions() == []


def test_a_consumption_far_above_usual_is_sent_only_when_confirmed(app, orlova):
    response = send(orlova, day="12000", night="3300")
    assert response.status_code == 200
    text = page_text(response)
    assert "Проверьте, всё ли верно: Расход 2650 кВт·ч — больше чем в 5 раз выше обычного за год" in text
    assert "Всё верно, передать" in text
    with app.app_context():
        assert submissions() == []
    assert send(orlova, day="12000", night="3300", confirmed="1").status_code == 302
    with app.app_context():
        [kept] = submissions()
        assert kept.flag_list == ["Расход 2650 кВт·ч — больше чем в 5 раз выше обычного за год (368,5)."]


def test_a_replaced_meter_goes_to_the_treasurer_with_its_photo(app, orlova):
    response = send(orlova, day="12", night="5", meter_replaced="y")
    assert response.status_code == 422
    assert "Приложите фото нового счётчика" in page_text(response)
    assert send(orlova, day="12", night="5", meter_replaced="y", photo=jpeg_with_gps()).status_code == 302
    with app.app_context():
        [kept] = submissions()
        assert kept.meter_replaced and "счётчик заменён" in kept.flags


def test_a_newer_submission_replaces_the_waiting_one_and_its_photo(app, orlova):
    send(orlova, day="9990", night="3300", photo=jpeg_with_gps())
    send(orlova, day="9991", night="3300")
    with app.app_context():
        [kept] = submissions()
        assert kept.day == 9991 and kept.photo == ""
        from snt.submissions import photos

        assert list(photos.folder().iterdir()) == []


def test_another_members_plot_is_not_found(app, orlova):
    assert send(orlova, plot="271", total="100").status_code == 404
    assert send(orlova, plot="26%009", total="100").status_code == 400  # the site refuses a NUL in a URL
    assert send(orlova, plot="999", total="100").status_code == 404


def test_outside_the_window_nothing_is_taken(app, orlova):
    app.config["TODAY"] = date(2022, 6, 10)
    text = page_text(orlova.get("/my-data/readings/"))
    assert "Приём показаний на 1 июля 2022 откроется 20 июня 2022." in text
    response = send(orlova, day="9990", night="3300")
    assert response.status_code == 422
    assert "откроется 20 июня 2022" in page_text(response)


# --- the photo ---------------------------------------------------------------------------------


def stored_photo(app) -> Image.Image:
    with app.app_context():
        from snt.submissions import photos

        [kept] = submissions()
        data = photos.path_of(kept.photo).read_bytes()
    return data, Image.open(BytesIO(data))


def test_the_stored_photo_has_no_exif_gps_or_camera_and_at_most_1600_px(app, orlova):
    original = jpeg_with_gps()
    assert b"iPhone 15" in original and Image.open(BytesIO(original)).getexif().get_ifd(0x8825)
    send(orlova, day="9990", night="3300", photo=original)
    data, image = stored_photo(app)
    assert image.format == "JPEG" and image.size == (1600, 1200)
    assert len(image.getexif()) == 0 and image.getexif().get_ifd(0x8825) == {}
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    assert b"Exif" not in data and b"iPhone" not in data and b"Apple" not in data


def png_bytes(size=(40, 30), mode="RGBA") -> bytes:
    out = BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def webp_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (50, 40), "blue").save(out, "WEBP")
    return out.getvalue()


def heic_bytes() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "HEIF")
    return out.getvalue()


@pytest.mark.parametrize("make", [png_bytes, webp_bytes, heic_bytes], ids=["png", "webp", "heic"])
def test_png_webp_and_heic_are_taken_as_jpeg(app, orlova, make):
    assert send(orlova, day="9990", night="3300", photo=make()).status_code == 302
    _, image = stored_photo(app)
    assert image.format == "JPEG"


def test_a_photo_is_checked_by_its_content_not_its_name(app, orlova):
    response = send(orlova, day="9990", night="3300", photo=b"%PDF-1.4 not a photo at all")
    assert response.status_code == 422
    assert "Файл не похож на фотографию" in page_text(response)
    gif = BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    assert "Файл не похож на фотографию" in page_text(
        send(orlova, day="9990", night="3300", photo=gif.getvalue())
    )
    with app.app_context():
        from snt.submissions import photos

        assert submissions() == [] and list(photos.folder().iterdir()) == []


def test_a_photo_over_10_mb_is_refused(app, orlova):
    app.config["READINGS_PHOTO_MAX_BYTES"] = 1000  # the same check, without a 10 MB upload
    response = send(orlova, day="9990", night="3300", photo=jpeg_with_gps())
    assert "Фото слишком большое" in page_text(response)


def test_a_small_file_that_would_decode_to_a_huge_image_is_refused_unread(app, orlova):
    bomb = png_bytes(size=(10000, 10000), mode="1")  # 12 KB on disk, 100 megapixels
    assert len(bomb) < 20_000
    response = send(orlova, day="9990", night="3300", photo=bomb)
    assert response.status_code == 422
    assert "Снимок слишком большой: больше 25 мегапикселей" in page_text(response)
    middle = png_bytes(size=(6000, 5000), mode="1")  # 30 megapixels: under Pillow's own 2× guard
    assert "Снимок слишком большой" in page_text(send(orlova, day="9990", night="3300", photo=middle))


def test_the_photo_is_seen_by_its_owner_and_the_board_only(app, orlova, accounts):
    send(orlova, day="9990", night="3300", photo=jpeg_with_gps())
    with app.app_context():
        [kept] = submissions()
    url = f"/my-data/readings/photo/{kept.id}"
    assert orlova.get(url).status_code == 200
    assert orlova.get(url + "/small").status_code == 200
    assert "no-store" in orlova.get(url).headers["Cache-Control"]
    gromov = accounts.member("271", "gromov271@example.ru")
    assert gromov.get(url).status_code == 404
    assert gromov.get(url + "/small").status_code == 404
    assert app.test_client().get(url).status_code == 404  # a guest
    board = accounts.staff("board")
    assert board.get(url).status_code == 200
    assert orlova.get(f"/my-data/readings/photo/{kept.id + 1}").status_code == 404


# --- the treasurer's queue ----------------------------------------------------------------------


def test_the_treasurer_accepts_and_the_member_sees_the_new_period_and_its_charge(app, orlova, accounts):
    send(orlova, day="9990", night="3300", photo=jpeg_with_gps())
    treasurer = accounts.staff("treasurer")
    queue = page_text(treasurer.get("/admin/readings/"))
    assert "269 1 июля 2022" in queue and "Т1 9990, Т2 3300" in queue
    assert "Т1 458, Т2 182, всего 640 кВт·ч" in queue and "без замечаний" in queue
    response = treasurer.post("/admin/readings/accept-clean", data={"period": "2022-07"})
    assert response.status_code == 302
    text = page_text(treasurer.get("/admin/readings/"))
    assert "Принято показаний: 1. новых показаний — 1; новых начислений за электроэнергию — 1." in text
    assert "Показаний, ждущих проверки, нет." in text
    assert "на 1 июля 2022: день 9990, ночь 3300 — принято" in page_text(orlova.get("/my-data/readings/"))
    page = page_text(orlova.get("/my-data/electricity/"))
    # 458 × 6,82 = 3 123,56 and 182 × 2,65 = 482,30 (SPEC §3 tariffs): 3 605,86 due.
    assert "01 июня 2022 – 01 июля 2022" in page
    assert "3 123,56 482,30 3 605,86 к оплате" in page
    from tests.helpers import audit_actions

    assert audit_actions(app)[-1] == "import.readings"


def test_a_file_with_another_value_for_that_1st_is_a_conflict_as_today(app, orlova, accounts, cli, tmp_path):
    from tests.helpers import write_csv

    send(orlova, day="9990", night="3300")
    accounts.staff("treasurer").post("/admin/readings/accept-clean", data={"period": "2022-07"})
    path = write_csv(
        tmp_path / "july.csv", [["участок", "дата", "день", "ночь"], ["269", "01.07.2022", "9991", "3300"]]
    )
    output = cli("import-readings", path, fails=True)
    assert (
        "у участка 269 на 01.07.2022 уже загружено: день 9990, ночь 3300; в файле: день 9991, ночь 3300"
        in output
    )


def test_a_flagged_submission_waits_for_a_decision_of_its_own(app, orlova, accounts):
    send(orlova, day="12000", night="3300", confirmed="1")
    treasurer = accounts.staff("treasurer")
    assert "больше чем в 5 раз выше обычного" in page_text(treasurer.get("/admin/readings/"))
    treasurer.post("/admin/readings/accept-clean", data={"period": ""})
    assert "Нечего принимать" in page_text(treasurer.get("/admin/readings/"))
    with app.app_context():
        [kept] = submissions()
    treasurer.post(f"/admin/readings/{kept.id}/accept")
    assert "Принято показаний: 1." in page_text(treasurer.get("/admin/readings/"))


def test_a_rejection_is_shown_and_emailed_to_a_member_who_chose_email(app, orlova, accounts, mailbox):
    with app.app_context():
        from snt.models import Account

        db.session.scalar(select(Account).where(Account.email == "orlova269@example.ru")).email_notices = True
        db.session.commit()
    send(orlova, day="9990", night="3300")
    with app.app_context():
        [kept] = submissions()
    treasurer = accounts.staff("treasurer")
    response = treasurer.post(f"/admin/readings/{kept.id}/reject", data={"reason": " "})
    assert "Напишите причину" in page_text(treasurer.get("/admin/readings/"))
    treasurer.post(f"/admin/readings/{kept.id}/reject", data={"reason": "На фото другой счётчик"})
    assert response.status_code == 302
    text = page_text(orlova.get("/my-data/readings/"))
    assert "на 1 июля 2022: день 9990, ночь 3300 — отклонено: На фото другой счётчик" in text
    [message] = [m for m in mailbox.to("orlova269@example.ru") if "не приняты" in m["Subject"]]
    assert "Причина: На фото другой счётчик" in mailbox.text(message)


def test_a_board_member_sees_the_queue_but_only_the_treasurer_decides(app, orlova, accounts):
    send(orlova, day="9990", night="3300")
    board = accounts.staff("board")
    assert "ждёт казначея" in page_text(board.get("/admin/readings/"))
    assert board.post("/admin/readings/accept-clean").status_code == 403
    assert orlova.get("/admin/readings/").status_code == 403


# --- the shell -----------------------------------------------------------------------------------


def test_the_shell_lists_and_accepts_the_same_queue(app, orlova, cli):
    send(orlova, day="9990", night="3300", photo=jpeg_with_gps())
    help_text = cli("readings-submitted", "--help")
    assert "Показания, которые участники передали в личном кабинете" in help_text
    listed = cli("readings-submitted", "--period", "2022-07")
    assert "Ждут проверки: 1, из них без замечаний: 1." in listed
    assert "уч. 269, на 1 июля 2022: Т1 9990, Т2 3300; расход 640 кВт·ч; фото есть" in listed
    assert "не период" in cli("readings-submitted", "--period", "июль", fails=True)
    accepted = cli("readings-accept")
    assert "Принято показаний: 1." in accepted and "новых начислений за электроэнергию — 1" in accepted
    assert "Нечего принимать" in cli("readings-accept")
    assert "Ждут проверки: 0" in cli("readings-submitted")


def test_always_open_takes_a_late_reading_for_this_months_1st(app, orlova, accounts):
    accounts.staff("board").post("/admin/settings/", data=whole_form(readings_always_open="1"))
    app.config["TODAY"] = date(2022, 6, 10)
    text = page_text(orlova.get("/my-data/readings/"))
    assert "Показания на 1 июня 2022 — срок прошёл 31 мая 2022, передайте их как можно скорее." in text
    assert "Участок 269: показания на 1 июня 2022" in text
    assert "Последние принятые показания на 1 мая 2022: день (Т1) 9012, ночь (Т2) 2901." in text
    assert "Показания на 1 июня 2022 уже приняты." in text  # the reference case has them
    response = send(orlova, day="9600", night="3200")
    assert "Показания на 1 июня 2022 уже приняты правлением." in page_text(response)


def test_a_second_click_on_accept_changes_nothing(app, orlova, accounts):
    send(orlova, day="9990", night="3300")
    with app.app_context():
        [kept] = submissions()
    treasurer = accounts.staff("treasurer")
    treasurer.post(f"/admin/readings/{kept.id}/accept")
    treasurer.post(f"/admin/readings/{kept.id}/accept")  # a second tab, an old page
    assert "Нечего принимать" in page_text(treasurer.get("/admin/readings/"))
    with app.app_context():
        from snt.models import Reading

        assert db.session.query(Reading).filter_by(taken_on=date(2022, 7, 1)).count() == 1
    assert "Эти показания уже не ждут проверки" in page_text(
        treasurer.post(f"/admin/readings/{kept.id}/reject", data={"reason": "поздно"}, follow_redirects=True)
    )


def test_one_refused_by_the_import_stays_waiting_and_the_rest_are_accepted(
    app, orlova, accounts, cli, tmp_path
):
    from tests.helpers import write_csv

    assert orlova.post("/my-data/edit", data={"plots": "269,270"}).status_code == 302
    send(orlova, day="9990", night="3300")
    send(orlova, plot="270", day="347", night="244")
    path = write_csv(
        tmp_path / "july.csv", [["участок", "дата", "день", "ночь"], ["270", "01.07.2022", "348", "244"]]
    )
    cli("import-readings", path)  # the file came first, with another value for 270
    treasurer = accounts.staff("treasurer")
    treasurer.post("/admin/readings/accept-clean", data={"period": "2022-07"})
    text = page_text(treasurer.get("/admin/readings/"))
    assert "Принято показаний: 1." in text
    assert "Участок 270, на 1 июля 2022: не принято — у участка 270 на 01.07.2022 уже загружено" in text
    assert "не принято: у участка 270" in text  # its flag in the queue: no longer «без замечаний»
    with app.app_context():
        states = {s.plot.number: s.state for s in submissions()}
    assert states == {"269": "accepted", "270": "pending"}
    assert "на 1 июля 2022: день 9990, ночь 3300 — принято" in page_text(orlova.get("/my-data/readings/"))
