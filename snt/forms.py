"""The base form: Russian validation messages without Flask-Babel (see GOTCHAS), no control characters."""

import re

from flask_wtf import FlaskForm

# Control characters have no place in anything typed into a form, and PostgreSQL refuses NUL
# in text outright; tab and line breaks are fine.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "В поле есть невидимые управляющие символы. Наберите текст заново и отправьте форму."


class BaseForm(FlaskForm):
    class Meta:
        locales = ["ru_RU", "ru"]  # noqa: RUF012 (WTForms reads it as a class attribute)

    def validate(self, extra_validators=None) -> bool:
        # Checked first: no other validator (some query the database) ever sees such text.
        bad = [f for f in self if isinstance(f.data, str) and CONTROL_CHARACTERS.search(f.data)]
        for field in bad:
            field.errors = [CONTROL_MESSAGE]
        return not bad and super().validate(extra_validators)
