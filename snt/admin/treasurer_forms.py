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
        validators=[
            DataRequired(message="Выберите, что в файле: показания, оплаты, реестр или начальные остатки.")
        ],
    )
    file = FileField("Файл", validators=[FileRequired(message="Выберите файл.")])
    replace = BooleanField(
        "Заменить уже загруженные показания на те же даты (для исправления ошибок в прошлой загрузке)"
    )
    other_account = BooleanField(
        "Выписка по другому счёту: всё равно загрузить",
        description="Выписку не по расчётному счёту товарищества (из «Реквизитов») загрузить можно только "
        "с этой отметкой; она записывается в журнал действий.",
    )
    submit = SubmitField("Проверить файл")


class ConfirmImportForm(BaseForm):
    token = HiddenField(validators=[DataRequired(message="Сначала загрузите и проверьте файл.")])
    submit = SubmitField("Загрузить в базу")


class SkipBadRowsForm(ConfirmImportForm):
    """«Загрузить без строк с ошибками»: carries the lines the treasurer saw listed."""

    skipped = HiddenField(validators=[DataRequired(message="Сначала загрузите и проверьте файл.")])
    submit = SubmitField("Загрузить без строк с ошибками")


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
    due = StringField("Оплатить до", description="Дата, например 30.06.2022. Можно оставить пустым.")
    fingerprint = HiddenField()
    preview = SubmitField("Посчитать")
    submit = SubmitField("Начислить")

    def validate_due(self, field) -> None:
        text = (field.data or "").strip()
        try:
            field.value = parse_date(text) if text else None
        except ValueError as exc:
            raise ValidationError(f"Оплатить до: {exc}.") from exc

    def validate_year(self, field) -> None:
        text = (field.data or "").strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValidationError(f"«{text}» — не год: нужны четыре цифры, например 2022.")
        field.value = int(text)

    def validate_rate(self, field) -> None:
        _decimal(field, "Ставка", "1000")


class PaymentEntryForm(BaseForm):
    """«Внести оплату» on a plot's page; `token` (set when the form is shown) stops a double click."""

    paid_on = StringField(
        "Дата оплаты", validators=[DataRequired(message="Укажите дату, например 04.06.2022.")]
    )
    amount = StringField("Сумма, ₽", description="Например 4 121,45")
    kind = RadioField(
        "Статья",
        choices=[SelectChoice(k, KIND_TITLES[k]) for k in Charge.KINDS],
        validators=[DataRequired(message="Выберите статью оплаты.")],
    )
    purpose = StringField(
        "Назначение",
        validators=[Length(max=500, message="Не длиннее 500 знаков.")],
        description="Как написал плательщик, например «электроэнергия за май 2022»: период или год в нём оплачиваются первыми.",
    )
    token = HiddenField(validators=[DataRequired(message="Откройте форму заново.")])
    submit = SubmitField("Внести оплату")

    def validate_paid_on(self, field) -> None:
        try:
            field.value = parse_date(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"Дата оплаты: {exc}.") from exc

    def validate_amount(self, field) -> None:
        _decimal(field, "Сумма", "4 121,45")


class SmsSendForm(BaseForm):
    """The confirmation of a previewed SMS run: the plan must still have `fingerprint`."""

    period = HiddenField(validators=[DataRequired(message="Сначала откройте предпросмотр рассылки.")])
    resend_unknown = HiddenField()
    include_flagged = HiddenField()
    fingerprint = HiddenField(validators=[DataRequired(message="Сначала откройте предпросмотр рассылки.")])
    submit = SubmitField("Отправить SMS")


class EmailSendForm(SmsSendForm):
    """The confirmation of the month's emails to every member who chose them, as a job."""

    submit = SubmitField("Разослать письма")


def _optional_decimal(field, label: str) -> None:
    """Parse a reading that may be left empty into `field.value` (None when empty)."""
    field.value = None
    if (field.data or "").strip():
        try:
            field.value = parse_decimal(field.data)
        except ValueError as exc:
            raise ValidationError(f"{label}: {exc}.") from exc


class MeterReplacementForm(BaseForm):
    """Замена счётчика: what `replace-meter` takes in the shell, as fields."""

    on = StringField(
        "Дата замены",
        validators=[DataRequired(message="Укажите дату замены, например 15.06.2022.")],
        description="ДД.ММ.ГГГГ",
    )
    final_day = StringField("Старый счётчик: последнее показание «день»")
    final_night = StringField("Старый счётчик: последнее показание «ночь»")
    final_total = StringField("Старый однотарифный счётчик: последнее показание")
    initial_day = StringField("Новый счётчик: начальное показание «день»", description="Пусто — 0")
    initial_night = StringField("Новый счётчик: начальное показание «ночь»", description="Пусто — 0")
    initial_total = StringField("Новый однотарифный счётчик: начальное показание", description="Пусто — 0")
    submit = SubmitField("Записать замену счётчика")

    def validate_on(self, field) -> None:
        try:
            field.value = parse_date(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"Дата: {exc}.") from exc

    def validate_final_day(self, field) -> None:
        _optional_decimal(field, "Последнее показание «день»")

    def validate_final_night(self, field) -> None:
        _optional_decimal(field, "Последнее показание «ночь»")

    def validate_final_total(self, field) -> None:
        _optional_decimal(field, "Последнее показание")

    def validate_initial_day(self, field) -> None:
        _optional_decimal(field, "Начальное показание «день»")

    def validate_initial_night(self, field) -> None:
        _optional_decimal(field, "Начальное показание «ночь»")

    def validate_initial_total(self, field) -> None:
        _optional_decimal(field, "Начальное показание")


class ReversalForm(BaseForm):
    """«Сторнировать оплату»: the reason is shown to the owner; `amount` is what the page showed."""

    reason = StringField(
        "Причина",
        validators=[
            DataRequired(message="Укажите причину сторно — её увидит владелец участка."),
            Length(max=300, message="Не длиннее 300 знаков."),
        ],
        description="Например «внесено по ошибке на другой участок» или «ошибка в сумме».",
    )
    amount = HiddenField(validators=[DataRequired(message="Откройте страницу участка заново.")])
    submit = SubmitField("Сторнировать оплату")


class AssignUnmatchedForm(BaseForm):
    """«Отнести на участок» for one payment of «Нераспознанные платежи»."""

    plot = StringField(
        "Участок",
        validators=[
            DataRequired(message="Укажите номер участка."),
            Length(max=10, message="Не длиннее 10 знаков."),
        ],
    )
    kind = RadioField(
        "Статья",
        choices=[SelectChoice(k, KIND_TITLES[k]) for k in Charge.KINDS],
        validators=[DataRequired(message="Выберите статью оплаты.")],
    )
    submit = SubmitField("Отнести на участок")


class ForeignPaymentForm(BaseForm):
    submit = SubmitField("Не наш платёж")
