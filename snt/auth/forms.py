from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from snt.forms import BaseForm
from snt.passwords import password_problem
from snt.plots import normalise_plot_number

EMAIL_RULES = [
    DataRequired(),
    Length(max=254),
    # allow_smtputf8=False: Flask-Mail cannot send to a Cyrillic local part (иван@почта.рф).
    Email(message="Введите адрес электропочты полностью, например ivanov@mail.ru.", allow_smtputf8=False),
]


class NewPasswordMixin:
    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class RegistrationForm(NewPasswordMixin, BaseForm):
    plot_number = StringField("Номер участка (логин)", validators=[DataRequired()])
    email = EmailField("Адрес электропочты", validators=EMAIL_RULES)
    password = PasswordField("Пароль", validators=[DataRequired()])
    password2 = PasswordField(
        "Подтвердить пароль",
        validators=[DataRequired(), EqualTo("password", message="Пароли не совпадают.")],
    )
    consent = BooleanField(
        "Я согласен(на) на обработку моих персональных данных",
        validators=[
            DataRequired(message="Без согласия на обработку персональных данных регистрация невозможна.")
        ],
    )
    submit = SubmitField("Зарегистрироваться")

    def validate_plot_number(self, field) -> None:
        try:
            field.data = normalise_plot_number(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)[0].upper() + str(exc)[1:] + ".") from exc


class LoginForm(BaseForm):
    login = StringField("Номер участка или адрес электропочты", validators=[DataRequired()])
    password = PasswordField("Пароль", validators=[DataRequired()])
    remember = BooleanField("Запомнить меня на этом устройстве")
    submit = SubmitField("Войти")


class LoginOnlyForm(BaseForm):
    login = StringField("Номер участка или адрес электропочты", validators=[DataRequired()])
    submit = SubmitField("Отправить ссылку")


class ResetPasswordForm(NewPasswordMixin, BaseForm):
    password = PasswordField("Новый пароль", validators=[DataRequired()])
    password2 = PasswordField(
        "Повторите новый пароль",
        validators=[DataRequired(), EqualTo("password", message="Пароли не совпадают.")],
    )
    submit = SubmitField("Сохранить пароль")


class ChangePasswordForm(NewPasswordMixin, BaseForm):
    current_password = PasswordField("Текущий пароль", validators=[DataRequired()])
    password = PasswordField("Новый пароль", validators=[DataRequired()])
    password2 = PasswordField(
        "Повторите новый пароль",
        validators=[DataRequired(), EqualTo("password", message="Пароли не совпадают.")],
    )
    submit = SubmitField("Изменить пароль")


class ChangeEmailForm(BaseForm):
    email = EmailField("Новый адрес электропочты", validators=EMAIL_RULES)
    current_password = PasswordField("Текущий пароль", validators=[DataRequired()])
    submit = SubmitField("Изменить адрес")


class PasswordAgainForm(BaseForm):
    password = PasswordField("Пароль", validators=[DataRequired()])
    submit = SubmitField("Продолжить")
