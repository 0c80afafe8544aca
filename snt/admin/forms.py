"""Forms of the admin area. Every field is validated on the server with a Russian message."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from snt.auth.members import ROLE_TITLES
from snt.forms import BaseForm
from snt.money import parse_decimal
from snt.payments.requisites import FIELD_TITLES
from snt.plots import normalise_phone
from snt.public.documents import CATEGORIES

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
    submit = SubmitField("Сохранить")

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
