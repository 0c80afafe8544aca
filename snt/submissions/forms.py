from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, SubmitField

from snt.forms import BaseForm


class SubmissionForm(BaseForm):
    """One plot's readings; the values are checked by snt.submissions.sending.submit."""

    day = StringField("День (Т1)")
    night = StringField("Ночь (Т2)")
    total = StringField("Показания")
    photo = FileField(
        "Фото счётчика",
        description="Необязательно. Снимок табло, JPEG, PNG, WebP или HEIC, до 10 МБ: казначею проще сверить цифры.",
    )
    meter_replaced = BooleanField(
        "Счётчик заменён",
        description="Отметьте, если показания меньше прежних из-за нового счётчика; приложите его фото.",
    )
    confirmed = HiddenField()
    submit = SubmitField("Передать показания")

    def set_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Put the service's messages beside their fields; returns those of the form as a whole."""
        for name, messages in errors.items():
            if name:
                self[name].errors = list(messages)
        return errors.get("", [])
