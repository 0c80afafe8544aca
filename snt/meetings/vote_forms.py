"""Forms of the vote: how each question is decided, the online ballot, a paper ballot's entry,
voiding one, and closing the count. The question fields are made per meeting (q_1, q_2…)."""

from flask_wtf.file import FileField
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from snt.forms import BaseForm
from snt.meetings import rules
from snt.models import BallotAnswer

ONLINE = [
    SelectChoice(a, BallotAnswer.TITLES[a])
    for a in (BallotAnswer.FOR, BallotAnswer.AGAINST, BallotAnswer.ABSTAIN)
]
PAPER = [*ONLINE, SelectChoice(BallotAnswer.BLANK, "не заполнено или испорчено")]


class RulesForm(BaseForm):
    submit = SubmitField("Сохранить порядок голосования")

    def chosen(self, questions: list[rules.Question]) -> dict[int, tuple[str, str, str]]:
        return {
            q.number: (
                self[f"kind_{q.number}"].data,
                self[f"rule_{q.number}"].data,
                self[f"voters_{q.number}"].data,
            )
            for q in questions
        }


def rules_form(questions: list[rules.Question]) -> RulesForm:
    class Form(RulesForm):
        pass

    data: dict[str, str] = {}
    for q in questions:
        setattr(
            Form,
            f"kind_{q.number}",
            SelectField(
                f"Вопрос {q.number}: вид", choices=[SelectChoice(k, v.title) for k, v in rules.KINDS.items()]
            ),
        )
        setattr(
            Form,
            f"rule_{q.number}",
            SelectField("Решение принимается", choices=[SelectChoice(k, v) for k, v in rules.RULES.items()]),
        )
        setattr(
            Form,
            f"voters_{q.number}",
            SelectField("Голосуют", choices=[SelectChoice(k, v) for k, v in rules.VOTERS.items()]),
        )
        data |= {f"kind_{q.number}": q.kind, f"rule_{q.number}": q.rule, f"voters_{q.number}": q.voters}
    return Form(data=data)


class AnswersForm(BaseForm):
    def answers(self) -> dict[int, str]:
        return {int(f.name[2:]): f.data for f in self if f.name.startswith("q_") and f.data}


def ballot_form(questions: list[rules.Question]) -> AnswersForm:
    """The online ballot: the questions the owner votes on."""

    class Form(AnswersForm):
        submit = SubmitField("Отправить бюллетень")

    for q in questions:
        setattr(
            Form,
            f"q_{q.number}",
            RadioField(f"{q.number}. {q.text}", choices=ONLINE, validators=[Optional()]),
        )
    return Form()


def paper_form(questions: list[rules.Question], people: list[SelectChoice]) -> AnswersForm:
    """A returned paper ballot as marked; the questions a non-member does not vote on are ignored."""

    class Form(AnswersForm):
        person = SelectField(
            "Собственник",
            coerce=int,
            choices=people,
            validators=[DataRequired(message="Выберите собственника.")],
        )
        scan = FileField("Скан подписанного бюллетеня (PDF, JPEG или PNG)")
        submit = SubmitField("Внести бюллетень")

    for q in questions:
        setattr(
            Form, f"q_{q.number}", RadioField(f"{q.number}. {q.text}", choices=PAPER, validators=[Optional()])
        )
    return Form()


class VoidForm(BaseForm):
    reason = StringField("Причина", validators=[DataRequired(message="Укажите причину."), Length(max=300)])
    submit = SubmitField("Аннулировать запись")


class CloseForm(BaseForm):
    chair = StringField(
        "Председатель собрания", validators=[DataRequired(message="Укажите председателя."), Length(max=200)]
    )
    secretary = StringField(
        "Секретарь собрания", validators=[DataRequired(message="Укажите секретаря."), Length(max=200)]
    )
    commission = TextAreaField(
        "Счётная комиссия",
        validators=[DataRequired(message="Впишите членов счётной комиссии."), Length(max=2000)],
        description="Каждый член комиссии с новой строки.",
    )
    submit = SubmitField("Закрыть подсчёт голосов")


class AttendanceForm(BaseForm):
    """An owner registered at the in-person part: in person, or by proxy with the document."""

    person = SelectField(
        "Собственник", coerce=int, validators=[DataRequired(message="Выберите собственника.")]
    )
    proxy_name = StringField(
        "Представитель по доверенности",
        validators=[Optional(), Length(max=200)],
        description="Пусто — собственник присутствует лично.",
    )
    document = FileField("Доверенность (скан: PDF, JPEG или PNG)")
    submit = SubmitField("Отметить присутствие")


class HandsForm(BaseForm):
    """The counted show of hands on one question."""

    number = SelectField("Вопрос", coerce=int, validators=[DataRequired(message="Выберите вопрос.")])
    votes_for = IntegerField(
        "За",
        validators=[
            InputRequired(message="Укажите число голосов «за»."),
            NumberRange(min=0, message="Число не может быть отрицательным."),
        ],
    )
    against = IntegerField(
        "Против",
        validators=[
            InputRequired(message="Укажите число голосов «против»."),
            NumberRange(min=0, message="Число не может быть отрицательным."),
        ],
    )
    abstained = IntegerField(
        "Воздержались",
        validators=[
            InputRequired(message="Укажите число воздержавшихся."),
            NumberRange(min=0, message="Число не может быть отрицательным."),
        ],
    )
    submit = SubmitField("Внести голосование по вопросу")
