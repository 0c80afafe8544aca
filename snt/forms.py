"""The base form: Russian validation messages without Flask-Babel (WTForms' own
ru translations, by Meta.locales), no control characters."""

from flask_wtf import FlaskForm

from snt.text import has_control_characters

CONTROL_MESSAGE = "В поле есть невидимые управляющие символы. Наберите текст заново и отправьте форму."


class BaseForm(FlaskForm):
    class Meta:
        locales = ["ru_RU", "ru"]  # noqa: RUF012 (WTForms reads it as a class attribute)

    def validate(self, extra_validators=None) -> bool:
        # Checked first: no other validator (some query the database) ever sees such text.
        bad = [f for f in self if isinstance(f.data, str) and has_control_characters(f.data)]
        for field in bad:
            field.errors = [CONTROL_MESSAGE]
        return not bad and super().validate(extra_validators)
