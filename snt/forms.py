"""The base form: Russian validation messages without Flask-Babel (see GOTCHAS)."""

from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    class Meta:
        locales = ["ru_RU", "ru"]  # noqa: RUF012 (WTForms reads it as a class attribute)
