from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from snt.auth.forms import EMAIL_RULES
from snt.forms import BaseForm


class ContactForm(BaseForm):
    name = StringField("Ваше имя", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Адрес электропочты для ответа", validators=EMAIL_RULES)
    plot_number = StringField("Номер участка (если есть)", validators=[Length(max=10)])
    text = TextAreaField("Сообщение", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Отправить")
