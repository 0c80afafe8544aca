from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from snt.forms import BaseForm
from snt.plots import normalise_phone, parse_plot_list


class ProfileForm(BaseForm):
    plots = StringField(
        "Номера участков",
        validators=[DataRequired()],
        description="Через запятую, в любом порядке, например: 269,270",
    )
    full_name = StringField("ФИО владельца", validators=[Length(max=200)])
    contact_persons = TextAreaField(
        "Контактные лица",
        validators=[Length(max=2000)],
        description="Совладельцы, родственники: имя и телефон",
    )
    phone = StringField("Мобильный", description="11 цифр, начиная с 8, например 89991234567")
    sms_consent = BooleanField("Присылать SMS с показаниями и суммой к оплате")
    email_notices = BooleanField(
        "Присылать письмо с показаниями, суммой к оплате, QR-кодом для оплаты и квитанцией",
        description="На адрес электропочты вашей учётной записи. Можно выбрать SMS, письмо или и то, и другое.",
    )
    submit = SubmitField("Сохранить")

    def validate_plots(self, field) -> None:
        numbers, errors = parse_plot_list(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))
        field.numbers = numbers

    def validate_phone(self, field) -> None:
        if not (field.data or "").strip():
            field.data = ""
            return
        try:
            field.data = normalise_phone(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_sms_consent(self, field) -> None:
        if field.data and not (self.phone.data or "").strip():
            raise ValidationError("Чтобы получать SMS, укажите мобильный номер.")
