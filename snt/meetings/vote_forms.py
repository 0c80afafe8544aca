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


BY_LAW = SelectChoice("", "по закону для вида вопроса")


def add_rule_rows(form_class: type, questions: list[rules.Question], rows: int) -> dict[str, str]:
    """The agenda form's per-question choice (kind_N, rule_N, voters_N for N = 1..rows): the kind,
    and the rule and voters «по закону» (the kind's default) unless the board chose stricter.
    Returns the initial data: the saved choice, shown as «по закону» where it is the law's."""
    data: dict[str, str] = {}
    saved = {q.number: q for q in questions}
    for n in range(1, rows + 1):
        kinds = [SelectChoice(k, v.title) for k, v in rules.KINDS.items()]
        setattr(
            form_class, f"kind_{n}", SelectField(f"Вопрос {n}: вид", choices=kinds, validate_choice=False)
        )
        setattr(
            form_class,
            f"rule_{n}",
            SelectField(
                "Решение принимается",
                choices=[BY_LAW, *(SelectChoice(k, v) for k, v in rules.RULES.items())],
                validate_choice=False,
            ),
        )
        setattr(
            form_class,
            f"voters_{n}",
            SelectField(
                "Голосуют",
                choices=[BY_LAW, *(SelectChoice(k, v) for k, v in rules.VOTERS.items())],
                validate_choice=False,
            ),
        )
        q = saved.get(n)
        if q is not None:
            law = rules.KINDS[q.kind]
            data |= {
                f"kind_{n}": q.kind,
                f"rule_{n}": "" if q.rule == law.rule else q.rule,
                f"voters_{n}": "" if q.voters == law.voters else q.voters,
            }
        else:
            data |= {f"kind_{n}": "other", f"rule_{n}": "", f"voters_{n}": ""}
    return data


def chosen_rows(form, count: int) -> tuple[dict[int, tuple[str, str, str]], bool]:
    """The posted choice for agenda questions 1..count ((kind, rule, voters), «по закону» resolved
    to the kind's default), and whether every row is lawful; a looser choice gets its Russian
    error on the row's field. Rows not posted are left out (their questions keep what they had)."""
    chosen, valid = {}, True
    for n in range(1, count + 1):
        if f"kind_{n}" not in form:
            break
        kind = form[f"kind_{n}"].data
        if not kind:
            continue
        law = rules.KINDS.get(kind)
        rule = form[f"rule_{n}"].data or (law.rule if law else "")
        voters = form[f"voters_{n}"].data or (law.voters if law else "")
        reason = rules.check(kind, rule, voters)
        if reason:
            form[f"rule_{n}"].errors = [f"Вопрос {n}: {reason}"]
            valid = False
        chosen[n] = (kind, rule, voters)
    return chosen, valid


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
