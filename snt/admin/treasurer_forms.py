"""Forms of the treasurer's tools: file imports, tariffs, fees, the monthly SMS.

Numbers and dates are checked by the same parsers the shell uses, with Russian messages.
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from snt.dates import parse_date
from snt.forms import BaseForm
from snt.imports.staging import IMPORT_KINDS
from snt.models import KIND_TITLES, Charge
from snt.money import parse_decimal


def _decimal(field, label: str, example: str) -> None:
    """Parse the field into `field.value`; a Russian message on bad input."""
    try:
        field.value = parse_decimal(field.data or "")
    except ValueError as exc:
        raise ValidationError(f"{label}: {exc}. Пример: {example}.") from exc
    if field.value <= 0:
        raise ValidationError(f"{label}: должно быть больше нуля.")


class ImportForm(BaseForm):
    kind = RadioField(
        "Что в файле",
        choices=[SelectChoice(k, title.capitalize()) for k, title in IMPORT_KINDS.items()],
        validators=[DataRequired(message="Выберите, что в файле: показания, оплаты или реестр.")],
    )
    file = FileField("Файл", validators=[FileRequired(message="Выберите файл.")])
    replace = BooleanField(
        "Заменить уже загруженные показания на те же даты (для исправления ошибок в прошлой загрузке)"
    )
    submit = SubmitField("Проверить файл")


class ConfirmImportForm(BaseForm):
    token = HiddenField(validators=[DataRequired(message="Сначала загрузите и проверьте файл.")])
    submit = SubmitField("Загрузить в базу")


class TariffForm(BaseForm):
    valid_from = StringField(
        "Действует с",
        validators=[DataRequired(message="Укажите дату, например 01.07.2022.")],
        description="ДД.ММ.ГГГГ. Периоды, уже начисленные по прежнему тарифу, не пересчитываются.",
    )
    single = StringField("Однотарифный, ₽ за кВт·ч", description="Например 5,93")
    day = StringField("День (Т1), ₽ за кВт·ч", description="Например 6,82")
    night = StringField("Ночь (Т2), ₽ за кВт·ч", description="Например 2,65")
    submit = SubmitField("Задать тариф")

    def validate_valid_from(self, field) -> None:
        try:
            field.value = parse_date(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"Дата: {exc}.") from exc

    def validate_single(self, field) -> None:
        _decimal(field, "Однотарифный", "5,93")

    def validate_day(self, field) -> None:
        _decimal(field, "День", "6,82")

    def validate_night(self, field) -> None:
        _decimal(field, "Ночь", "2,65")


class FeesForm(BaseForm):
    """Also the confirmation: the previewed values come back in hidden fields with `fingerprint`."""

    year = StringField("Год", validators=[DataRequired(message="Укажите год, например 2022.")])
    mode = RadioField(
        "Как считать",
        choices=[
            SelectChoice("per_sotka", "Ставка за сотку (площадь × ставка)"),
            SelectChoice("fixed", "Одна сумма с каждого участка"),
        ],
        default="per_sotka",
        validators=[DataRequired(message="Выберите, как считать взнос.")],
    )
    rate = StringField("Ставка или сумма, ₽", description="Например 1000 или 1 250,50")
    kind = RadioField(
        "Вид взноса",
        choices=[SelectChoice(k, KIND_TITLES[k]) for k in (Charge.MEMBERSHIP, Charge.TARGET)],
        default=Charge.MEMBERSHIP,
        validators=[DataRequired(message="Выберите вид взноса.")],
    )
    title = StringField(
        "Название",
        validators=[Length(max=200, message="Не длиннее 200 знаков.")],
        description="Для целевого взноса, например «Ремонт дороги». Можно оставить пустым.",
    )
    fingerprint = HiddenField()
    preview = SubmitField("Посчитать")
    submit = SubmitField("Начислить")

    def validate_year(self, field) -> None:
        text = (field.data or "").strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValidationError(f"«{text}» — не год: нужны четыре цифры, например 2022.")
        field.value = int(text)

    def validate_rate(self, field) -> None:
        _decimal(field, "Ставка", "1000")


class SmsSendForm(BaseForm):
    """The confirmation of a previewed SMS run: the plan must still have `fingerprint`."""

    period = HiddenField(validators=[DataRequired(message="Сначала откройте предпросмотр рассылки.")])
    resend_unknown = HiddenField()
    include_flagged = HiddenField()
    fingerprint = HiddenField(validators=[DataRequired(message="Сначала откройте предпросмотр рассылки.")])
    submit = SubmitField("Отправить SMS")
