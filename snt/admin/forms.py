"""Forms of the admin area. Every field is validated on the server with a Russian message."""

import re

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from snt.auth.members import ROLE_TITLES
from snt.forms import BaseForm
from snt.money import parse_decimal
from snt.payments.requisites import FIELD_TITLES
from snt.plots import normalise_phone
from snt.public.documents import CATEGORIES

CADASTRAL = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{6,7}:[0-9]{1,7}")
VISIBILITY = [
    SelectChoice("public", "Всем посетителям сайта"),
    SelectChoice("members", "Только членам товарищества (после входа)"),
]


def _choices(titles: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in titles.items()]


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class ClaimDecisionForm(BaseForm):
    """Approve or reject: the plot and the login the board saw travel with the button, and the
    decision is refused if the claim no longer names them (an id alone can name another claim by
    the time it is posted)."""

    plot = StringField()
    account = StringField()


class RejectForm(ClaimDecisionForm):
    reason = StringField(
        "Причина отказа",
        validators=[
            DataRequired(message="Укажите причину отказа: её увидит заявитель."),
            Length(max=500, message="Не длиннее 500 знаков."),
        ],
    )
    submit = SubmitField("Отклонить")


class PlotForm(BaseForm):
    street = StringField("Улица", validators=[Length(max=40, message="Не длиннее 40 знаков.")])
    area = StringField("Площадь, сотки", validators=[DataRequired(message="Укажите площадь, например 7,2.")])
    electrified = BooleanField("Электрификация")
    two_tariff = BooleanField("Новый (двухтарифный) счётчик")
    owner_name = StringField("Владелец", validators=[Length(max=200, message="Не длиннее 200 знаков.")])
    email = EmailField(
        "Электропочта по реестру",
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message="Введите адрес электропочты полностью, например ivanov@mail.ru.", allow_smtputf8=False
            ),
        ],
        description="По совпадению этого адреса с адресом учётной записи участок подтверждается без правления.",
    )
    phone = StringField("Телефон", description="11 цифр, начиная с 8, например 89991234567 или 84951234567")
    postal_address = StringField(
        "Почтовый адрес владельца",
        validators=[Length(max=300, message="Не длиннее 300 знаков.")],
        description="Для писем владельцам без электропочты (уведомление о собрании).",
    )
    is_member = BooleanField("Член товарищества", default=True)
    member_since = DateField("Член товарищества с", validators=[Optional()])
    cadastral_number = StringField(
        "Кадастровый номер",
        validators=[Length(max=40, message="Не длиннее 40 знаков.")],
        description="Например 50:20:0010203:123.",
    )
    submit = SubmitField("Сохранить")

    def validate_cadastral_number(self, field) -> None:
        field.data = (field.data or "").strip()
        if field.data and not CADASTRAL.fullmatch(field.data):
            raise ValidationError("Кадастровый номер пишется так: 50:20:0010203:123.")

    def validate_area(self, field) -> None:
        try:
            value = parse_decimal(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"Площадь: {exc}. Пример: 7,2.") from exc
        if value > 10000:
            raise ValidationError("Площадь указывается в сотках: не больше 10 000.")
        field.value = value

    def validate_phone(self, field) -> None:
        field.value = ""
        if (field.data or "").strip():
            try:
                field.value = normalise_phone(field.data, mobile=False)
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc

    def values(self) -> dict:
        return {
            "street": (self.street.data or "").strip(),
            "area": self.area.value,
            "electrified": self.electrified.data,
            "two_tariff": self.two_tariff.data,
            "owner_name": (self.owner_name.data or "").strip(),
            "email": (self.email.data or "").strip().lower(),
            "phone": self.phone.value,
            "cadastral_number": self.cadastral_number.data or "",
            "postal_address": (self.postal_address.data or "").strip(),
            "is_member": self.is_member.data,
            "member_since": self.member_since.data,
        }


class RoleForm(BaseForm):
    role = SelectField("Роль", choices=_choices(ROLE_TITLES))
    submit = SubmitField("Сменить роль")


class AnnouncementForm(BaseForm):
    title = StringField(
        "Заголовок",
        validators=[
            DataRequired(message="Напишите заголовок."),
            Length(max=200, message="Не длиннее 200 знаков."),
        ],
    )
    body = TextAreaField(
        "Текст",
        validators=[DataRequired(message="Напишите текст объявления."), Length(max=20000)],
        description="Разметка Markdown: **жирный**, *курсив*, [ссылка](https://…), списки с «- ». "
        "HTML и скрипты не выполняются.",
    )
    is_public = BooleanField(
        "Видно всем посетителям (иначе — только членам товарищества после входа)", default=True
    )
    pinned = BooleanField("Закрепить наверху")
    published = BooleanField("Опубликовать (без отметки — черновик, его видит только правление)")
    preview = SubmitField("Предпросмотр")
    submit = SubmitField("Сохранить")


class PageForm(BaseForm):
    body = TextAreaField(
        "Текст страницы",
        validators=[Length(max=50000, message="Не длиннее 50 000 знаков.")],
        description="Разметка Markdown: пустая строка — новый абзац, «- » — пункт списка, «## » — подзаголовок.",
    )
    preview = SubmitField("Предпросмотр")
    submit = SubmitField("Сохранить")


class DocumentForm(BaseForm):
    file = FileField("Файл", validators=[FileRequired(message="Выберите файл документа.")])
    title = StringField(
        "Название",
        validators=[Length(max=200, message="Не длиннее 200 знаков.")],
        description="Если не заполнить — имя файла.",
    )
    category = SelectField("Раздел", choices=_choices(CATEGORIES))
    visibility = RadioField("Кто может скачать", choices=VISIBILITY, default="members")
    submit = SubmitField("Загрузить")


class DocumentEditForm(BaseForm):
    title = StringField(
        "Название",
        validators=[
            DataRequired(message="Напишите название."),
            Length(max=200, message="Не длиннее 200 знаков."),
        ],
    )
    category = SelectField("Раздел", choices=_choices(CATEGORIES))
    visibility = RadioField("Кто может скачать", choices=VISIBILITY)
    submit = SubmitField("Сохранить")


class ReplyForm(BaseForm):
    text = TextAreaField(
        "Ответ",
        validators=[
            DataRequired(message="Напишите текст ответа."),
            Length(max=5000, message="Не длиннее 5000 знаков."),
        ],
    )
    handled = BooleanField("Отметить сообщение обработанным", default=True)
    submit = SubmitField("Отправить ответ")


def _requisite(key: str, description: str = "", max_length: int = 200) -> StringField:
    # The checks (digits, control keys) are requisites_problems', shown under each field.
    return StringField(
        FIELD_TITLES[key],
        validators=[Length(max=max_length, message=f"Не длиннее {max_length} знаков.")],
        description=description,
    )


class RequisitesForm(BaseForm):
    name = _requisite("name", "Как в выписке из ЕГРЮЛ, например СНТ «Аникино».")
    inn = _requisite("inn", "10 цифр.", 12)
    kpp = _requisite("kpp", "9 цифр.", 9)
    account = _requisite("account", "20 цифр; проверяется вместе с БИК по контрольному ключу.", 20)
    bank_name = _requisite("bank_name")
    bik = _requisite("bik", "9 цифр.", 9)
    corr_account = _requisite("corr_account", "20 цифр, начинается с 301.", 20)
    submit = SubmitField("Сохранить")


class PersonForm(BaseForm):
    """An owner (person) of the registry and the plots they own, co-owners included."""

    full_name = StringField(
        "ФИО",
        validators=[DataRequired(message="Укажите ФИО."), Length(max=200, message="Не длиннее 200 знаков.")],
    )
    email = EmailField(
        "Электропочта",
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message="Введите адрес электропочты полностью, например ivanov@mail.ru.", allow_smtputf8=False
            ),
        ],
    )
    phone = StringField("Телефон", description="11 цифр, начиная с 8")
    postal_address = StringField(
        "Почтовый адрес", validators=[Length(max=300, message="Не длиннее 300 знаков.")]
    )
    is_member = BooleanField("Член товарищества", default=True)
    member_since = DateField("Член товарищества с", validators=[Optional()])
    plots = StringField(
        "Участки",
        validators=[DataRequired(message="Укажите хотя бы один участок.")],
        description="Номера через запятую, например 269, 270. У участка может быть несколько владельцев.",
    )
    submit = SubmitField("Сохранить")

    validate_phone = PlotForm.validate_phone

    def values(self) -> dict:
        return {
            "full_name": (self.full_name.data or "").strip(),
            "email": (self.email.data or "").strip().lower(),
            "phone": self.phone.value,
            "postal_address": (self.postal_address.data or "").strip(),
            "is_member": self.is_member.data,
            "member_since": self.member_since.data,
        }

    def plot_numbers(self) -> list[str]:
        return [n.strip() for n in (self.plots.data or "").replace(";", ",").split(",") if n.strip()]


class MeetingForm(BaseForm):
    """A general meeting: form, date, time and place (for заочное, the ballots' last day), agenda."""

    form = RadioField(
        "Форма собрания",
        choices=[
            SelectChoice("in_person", "очное"),
            SelectChoice("absentee", "заочное"),
            SelectChoice("mixed", "очно-заочное"),
        ],
        default="in_person",
        validators=[DataRequired(message="Выберите форму собрания.")],
    )
    held_on = DateField(
        "Дата собрания (для заочного — последний день приёма бюллетеней)",
        validators=[DataRequired(message="Укажите дату собрания, например 20.12.2026.")],
    )
    starts_at = TimeField("Время начала", validators=[Optional()])
    place = StringField("Место проведения", validators=[Length(max=300, message="Не длиннее 300 знаков.")])
    agenda = TextAreaField(
        "Повестка дня",
        validators=[DataRequired(message="Впишите вопросы повестки, каждый с новой строки.")],
        description="Каждый вопрос с новой строки; нумерация появится сама.",
    )
    submit = SubmitField("Сохранить")

    def validate_place(self, field) -> None:
        field.data = (field.data or "").strip()
        if self.form.data != "absentee" and not field.data:
            raise ValidationError("Укажите место проведения собрания.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends the field's chain on an empty value, so the time is checked here.
        if self.form.data != "absentee" and self.starts_at.data is None and not self.starts_at.errors:
            self.starts_at.errors = [*self.starts_at.errors, "Укажите время начала, например 11:00."]
            valid = False
        return valid

    def validate_agenda(self, field) -> None:
        questions = [q.strip() for q in (field.data or "").splitlines() if q.strip()]
        if not questions:
            raise ValidationError("Впишите вопросы повестки, каждый с новой строки.")
        if any(len(q) > 1000 for q in questions):
            raise ValidationError("Вопрос повестки не длиннее 1000 знаков.")

    def values(self) -> dict:
        absentee = self.form.data == "absentee"
        return {
            "form": self.form.data,
            "held_on": self.held_on.data,
            "starts_at": None if absentee else self.starts_at.data,
            "place": self.place.data or "",
            "agenda": "\n".join(q.strip() for q in (self.agenda.data or "").splitlines() if q.strip()),
        }


class MaterialForm(BaseForm):
    document = SelectField("Документ из раздела «Документы»", coerce=int, validate_choice=True)
    submit = SubmitField("Прикрепить")


class NoticeForm(BaseForm):
    sms = BooleanField("Также SMS тем, кто выбрал SMS (в дополнение, не вместо письма)")
    submit = SubmitField("Разослать уведомление")


class BoardPostingForm(BaseForm):
    posted_on = DateField(
        "Размещено на щите (дата)", validators=[DataRequired(message="Укажите дату размещения.")]
    )
    photo = FileField("Фото щита (JPEG или PNG)")
    submit = SubmitField("Отметить размещение")
