"""The registry import's owners (snt.imports.plots): finding the person each row describes, and
writing the new plots and their new owners in a few bulk statements.

A row's owner is found by email, then by name among the plot's own owners, then by name and postal
address among all owners; a namesake with neither in common is a new person, and the report lists
each such uncertain match for the treasurer to check instead of merging two people into one. The
rows of one plot number are its co-owners.

New plots and the new persons found for them are not ORM objects in the session while the file is
read: a first import of 2,000 rows would otherwise flush 4,000 objects one INSERT at a time (on
SQLite the ORM cannot batch an INSERT … RETURNING). `persist_new` writes them with executemany.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select

from snt.extensions import db
from snt.models import Person, Plot, plot_owner, utcnow
from snt.plots import plot_sort_key
from snt.reports import Report

PERSON_ATTR = {"owner_name": "full_name"}  # the other owner fields are named alike on Person
PERSON_COLUMNS = ("full_name", "email", "phone", "postal_address", "is_member", "member_since")


def name_key(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@dataclass
class NewPlot:
    """A plot the file adds: its values and its owners, written by `persist_new`."""

    number: str
    values: dict[str, Any]
    owners: list[Person] = field(default_factory=list)


class Owners:
    """Finds or makes the persons the rows describe (see the module docstring)."""

    def __init__(
        self, report: Report, identity_columns: set[str], labels: dict[str, str], plots: Iterable[Plot]
    ):
        self.report, self.labels = report, labels
        self.plot_numbers: dict[int, list[str]] = defaultdict(list)  # id(person) -> numbers, for messages
        for plot in plots:
            for owner in plot.owners:
                self.plot_numbers[id(owner)].append(plot.number)
        self.identifies = bool(identity_columns)  # the file names owners (by name or email)
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in db.session.scalars(select(Person)):
            self._remember(person)
        self.set_on_line: dict[int, tuple[int, dict]] = {}  # id(person) -> (line, values)

    def _remember(self, person: Person) -> None:
        if person.email:
            self.by_email.setdefault(person.email.lower(), person)
        if person.full_name:
            self.by_name[name_key(person.full_name)].append(person)

    def apply(self, plot: Plot | NewPlot, rows: list[tuple[int, dict]]) -> None:
        """Set the plot's owners to the persons its rows describe (one row per co-owner)."""
        if not any(values for _, values in rows):
            return
        persons: list[Person] = []
        for index, (line, values) in enumerate(rows):
            person = self._find(plot, values, line, index)
            if person is None:
                continue
            self._check_consistent(person, values, line)
            for name, value in values.items():
                setattr(person, PERSON_ATTR.get(name, name), value)
            if person not in persons:
                persons.append(person)
        if not self.identifies or set(persons) == set(plot.owners):
            return  # the same owners (or the file does not name owners): their fields only
        for person in persons:
            if person not in plot.owners:
                self.plot_numbers[id(person)].append(plot.number)
        if isinstance(plot, NewPlot):
            plot.owners[:] = persons
        else:
            plot.owners = persons

    def _find(self, plot: Plot | NewPlot, values: dict, line: int, index: int) -> Person | None:
        name, email = values.get("owner_name", ""), values.get("email", "")
        if not self.identifies:  # only phone, address or membership columns: the plot's owners in order
            return plot.owners[index] if index < len(plot.owners) else None
        if not (name or email):
            return None
        found = self._on_plot(plot, name, email) or self._elsewhere(plot, name, email, values, line)
        if found is not None:
            return found
        person = Person(full_name=name, email=email)  # added to the session only by an existing plot
        self._remember(person)
        return person

    @staticmethod
    def _on_plot(plot: Plot | NewPlot, name: str, email: str) -> Person | None:
        """The plot's own owner with this email, or with this name (a changed email)."""
        by_email = next((o for o in plot.owners if email and o.email.lower() == email), None)
        return by_email or next(
            (o for o in plot.owners if name and name_key(o.full_name) == name_key(name)), None
        )

    def _elsewhere(
        self, plot: Plot | NewPlot, name: str, email: str, values: dict, line: int
    ) -> Person | None:
        """An owner of other plots: the same email, or the same name and postal address. A namesake
        with neither in common is reported, and None returned (a new person is made)."""
        if email and email in self.by_email:
            return self.by_email[email]
        namesakes = self.by_name.get(name_key(name), []) if name else []
        address = name_key(values.get("postal_address", ""))
        same = next((p for p in namesakes if address and name_key(p.postal_address or "") == address), None)
        if same is None and namesakes:
            self._uncertain(plot, name, namesakes, line)
        return same

    def _uncertain(self, plot: Plot | NewPlot, name: str, namesakes: list[Person], line: int) -> None:
        where = "; ".join(
            "уч. "
            + (", ".join(self.plot_numbers.get(id(person), [])) or "—")
            + (f", {person.postal_address}" if person.postal_address else "")
            + (f", {person.email}" if person.email else "")
            for person in namesakes[:5]
        )
        self.report.warn(
            line,
            f"уч. {plot.number}: владелец «{name}» совпадает по имени с уже известным ({where}), но ни "
            "электропочта, ни почтовый адрес не совпали — заведён отдельный владелец, не объединён. "
            "Если это один человек, укажите ему одинаковую электропочту или почтовый адрес и загрузите "
            "реестр снова",
        )

    def _check_consistent(self, person: Person, values: dict, line: int) -> None:
        earlier = self.set_on_line.get(id(person))
        if earlier is not None:
            first_line, first = earlier
            differ = [self.labels[f] for f, v in values.items() if f in first and first[f] != v]
            if differ:
                self.report.warn(
                    line,
                    f"у владельца «{person.full_name or values.get('owner_name', '')}» в строке {first_line} "
                    f"другие значения ({', '.join(differ)}); принято из строки {line}",
                )
        self.set_on_line[id(person)] = (line, values)


def persist_new(plots: list[NewPlot]) -> None:
    """Write the new plots, the persons first met on them and their links, each in one executemany."""
    if not plots:
        return
    db.session.flush()  # changes to existing plots, with any new person one of them took
    fresh: dict[int, Person] = {}
    for plot in plots:
        for person in plot.owners:
            if person.id is None:
                fresh.setdefault(id(person), person)
    if fresh:
        now = utcnow()
        ids = _insert_persons([_person_row(person, now) for person in fresh.values()])
        for person, person_id in zip(fresh.values(), ids, strict=True):
            person.id = person_id  # a transient object: only read below
    db.session.execute(
        insert(Plot), [{"number": p.number, "sort_key": plot_sort_key(p.number), **p.values} for p in plots]
    )
    numbers = {p.number for p in plots}
    plot_ids = {n: i for n, i in db.session.execute(select(Plot.number, Plot.id)) if n in numbers}
    links = [{"plot_id": plot_ids[p.number], "person_id": o.id} for p in plots for o in p.owners]
    if links:
        db.session.execute(insert(plot_owner), links)


def _insert_persons(rows: list[dict[str, Any]]) -> list[int]:
    """The new persons' ids in the order of `rows`. On SQLite the import's unit holds the write lock
    (BEGIN IMMEDIATE) and person ids only grow (AUTOINCREMENT), so one executemany and one SELECT
    of the ids above the previous maximum do; elsewhere an INSERT … RETURNING in the rows' order
    (batched by SQLAlchemy where the database can)."""
    if db.session.get_bind().dialect.name == "sqlite":
        last = db.session.scalar(select(func.max(Person.id))) or 0
        db.session.execute(insert(Person), rows)
        return list(db.session.scalars(select(Person.id).where(Person.id > last).order_by(Person.id)))
    return list(db.session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True), rows))


def _person_row(person: Person, now) -> dict[str, Any]:
    row = {name: getattr(person, name) for name in PERSON_COLUMNS}
    for name, empty in (("full_name", ""), ("email", ""), ("phone", ""), ("postal_address", "")):
        row[name] = row[name] or empty
    row["is_member"] = True if row["is_member"] is None else row["is_member"]
    row["created_at"] = now
    return row
