"""Shell commands (`flask --app app ...`): thin click wrappers over the service functions.

One module per concern, named after what it holds; each lists its commands in its own COMMANDS.
A module is imported only when one of its commands runs (or shows its own --help): the commands
import the models and the services, about 0.4 s that `flask --help` and every other command
would pay for all of them. The listing of `flask --help` comes from COMMANDS below: each name, its
module and the first sentence of its help, which a test keeps equal to the command's own.
"""

import importlib

import click
from flask import Flask

COMMANDS: dict[str, tuple[str, str]] = {
    "init-db": ("setup", "Создать или обновить схему базы (то же, что `flask db upgrade`)."),
    "seed-demo": ("setup", "Заполнить пустую базу демонстрационным товариществом (с контрольным примером)."),
    "create-user": (
        "accounts",
        "Создать подтверждённую учётную запись (правление, казначей или член товарищества).",
    ),
    "set-role": ("accounts", "Сменить роль учётной записи LOGIN (номер участка или адрес почты) на ROLE."),
    "release-login": (
        "accounts",
        "Освободить номер участка, который служит логином учётной записи с адресом не из реестра.",
    ),
    "unblock": ("accounts", "Разблокировать учётную запись (LOGIN — номер участка или адрес электропочты)."),
    "claims": ("claims", "Заявки на участки, ожидающие решения правления."),
    "import-plots": (
        "imports",
        "Реестр участков из FILE (CSV или .xlsx): участок, улица, площадь, электрификация, счётчик, "
        "владелец, почта, телефон.",
    ),
    "import-readings": (
        "imports",
        "Показания счётчиков из FILE (CSV или .xlsx): участок, дата, день, ночь или общее; сразу же "
        "записываются начисления.",
    ),
    "import-payments": (
        "imports",
        "Оплаты из FILE (CSV или .xlsx: участок, дата, сумма, назначение, номер документа) или "
        "банковская выписка 1С.",
    ),
    "import-balances": (
        "imports",
        "Начальные остатки из FILE (CSV или .xlsx: участок, статья, на дату, долг или аванс) — один раз "
        "на участок и статью.",
    ),
    "replace-meter": (
        "imports",
        "Записать замену счётчика: последнее показание старого и начальное показание нового.",
    ),
    "set-tariff": (
        "charges",
        "Задать тариф на электроэнергию с даты; уже начисленные периоды сохраняют свой тариф.",
    ),
    "tariffs": ("charges", "Список тарифов, от старых к новым, с числом начислений по каждому."),
    "accrue-fees": (
        "charges",
        "Начислить годовой взнос каждому участку; повторный запуск за тот же год, вид и название "
        "ничего не добавляет.",
    ),
    "send-sms": (
        "notices",
        "Разослать SMS о плате за электроэнергию за месяц: по одному на подтверждённый участок, "
        "владелец которого дал телефон и согласие.",
    ),
    "send-email": (
        "notices",
        "Разослать письма о плате за электроэнергию за месяц (цифры, QR-код для оплаты, ссылка на "
        "квитанцию): по одному на подтверждённый участок, владелец которого выбрал письма.",
    ),
    "report": ("reports", "Отчёты: должники, потери."),
    "requisites": ("requisites", "Банковские реквизиты товарищества (для QR-кодов и квитанций)."),
    "receipts": (
        "requisites",
        "Один PDF: по квитанции на каждый участок с долгом (или на все участки с --all).",
    ),
    "check-readings": (
        "checks",
        "Подозрительные показания: нулевой расход три месяца подряд, скачки, пропуски.",
    ),
    "backup": (
        "backup",
        "Целостная копия базы в PATH (файл или папка — тогда имя с датой), не останавливая сайт.",
    ),
    "restore": ("backup", "Заменить базу копией PATH, сделанной командой backup (сначала остановите сайт)."),
    "copy-database": (
        "backup",
        "Скопировать все строки этой базы (SQLite) в новую пустую (PostgreSQL); сайт остановлен.",
    ),
    "readings-submitted": (
        "submissions",
        "Показания, которые участники передали в личном кабинете и которые ждут проверки.",
    ),
    "readings-accept": (
        "submissions",
        "Принять переданные участниками показания без замечаний (как кнопка «Принять все без "
        "замечаний»): они записываются так же, как из файла, с начислениями.",
    ),
    "readings-remind": (
        "submissions",
        "Напомнить передать показания (SMS и письма) тем, кто их выбрал и ещё не передал показания на "
        "1-е число открытого приёма; каждому один раз за период.",
    ),
    "worker": (
        "jobs",
        "Выполнять фоновые задачи (квитанции, рассылки, загрузки файлов) до остановки (Ctrl+C).",
    ),
    "meeting": ("meetings", "Общие собрания: уведомление, его сроки и рассылка."),
}


class LazyCommand(click.Command):
    """Stands in the command list for the command NAME of snt/cli/MODULE.py, with its first
    sentence for `flask --help`; the module is imported when the command is run."""

    def __init__(self, name: str, module: str, summary: str):
        super().__init__(name, help=summary)
        self.module = module

    def load(self) -> click.Command:
        commands = importlib.import_module(f"snt.cli.{self.module}").COMMANDS
        return next(command for command in commands if command.name == self.name)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        # The real command parses the arguments; click then invokes the context's command.
        return self.load().make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask) -> None:
    for name, (module, summary) in COMMANDS.items():
        app.cli.add_command(LazyCommand(name, module, summary))
