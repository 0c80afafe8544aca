"""One PDF written from parts, page after page, holding one part at a time.

fpdf2 keeps every page of a document until `output()`, so thousands of receipts in one FPDF
hold them all at once. The receipts are made in parts instead (snt.payments.receipt), and each
part's objects are copied here into the one file as soon as it is made: renumbered, written, and
forgotten. What stays in memory is the list of page numbers and the byte offsets for the
cross-reference table (a few bytes per object). pypdf reads each part; the streams are copied as
they are, still compressed.
"""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from pypdf.generic import IndirectObject

Ref = Callable[["IndirectObject"], "IndirectObject"]  # renumbers a reference, queueing its object

PAGES, CATALOG = 1, 2  # the numbers of the objects written last, when all pages are known


class PdfJoin:
    """`add(part)` for each part PDF in order, then `close()`; the pages come out in that order."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.start = out.tell()
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.info: int | None = None
        self.next = CATALOG + 1
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def add(self, part: bytes) -> None:
        import io

        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(part))
        numbers: dict[int, int] = {}  # this part's object number -> the joined file's
        todo: list[tuple[int, Any]] = []

        def ref(indirect: "IndirectObject") -> "IndirectObject":
            from pypdf.generic import IndirectObject

            if indirect.idnum not in numbers:
                numbers[indirect.idnum] = self._number()
                todo.append((numbers[indirect.idnum], indirect.get_object()))
            return IndirectObject(numbers[indirect.idnum], 0, None)

        for page in reader.pages:
            number = self._number()
            self.pages.append(number)
            self._write(number, _copy(page, ref, parent=PAGES))
            while todo:
                self._write(*_pop(todo, ref))
        if self.info is None and "/Info" in reader.trailer:
            self.info = self._number()
            self._write(self.info, _copy(reader.trailer["/Info"].get_object(), ref))
            while todo:
                self._write(*_pop(todo, ref))

    def close(self) -> None:
        """The page tree, the catalog (opening at the first page, as fpdf2 does), the
        cross-reference table and the trailer."""
        kids = " ".join(f"{n} 0 R" for n in self.pages)
        self._raw(PAGES, f"<< /Type /Pages /Count {len(self.pages)} /Kids [{kids}] >>".encode())
        opening = f" /OpenAction [{self.pages[0]} 0 R /FitH null]" if self.pages else ""
        self._raw(
            CATALOG, f"<< /Type /Catalog /Pages {PAGES} 0 R{opening} /PageLayout /OneColumn >>".encode()
        )
        xref = self.out.tell() - self.start
        lines = [f"xref\n0 {self.next}\n0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, self.next)]
        info = f" /Info {self.info} 0 R" if self.info else ""
        lines.append(
            f"trailer\n<< /Size {self.next} /Root {CATALOG} 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        self.out.write("".join(lines).encode())

    def _number(self) -> int:
        self.next += 1
        return self.next - 1

    def _write(self, number: int, obj: Any) -> None:
        import io

        body = io.BytesIO()
        obj.write_to_stream(body)
        self._raw(number, body.getvalue())

    def _raw(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.out.tell() - self.start
        self.out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")


def _pop(todo: list[tuple[int, Any]], ref: Ref) -> tuple[int, Any]:
    number, obj = todo.pop()
    return number, _copy(obj, ref)


def _copy(obj: Any, ref: Ref, parent: int | None = None) -> Any:
    """`obj` with every reference renumbered through `ref` (which queues the object referred to);
    a page's /Parent points to the joined page tree instead. Streams keep their encoded bytes."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        StreamObject,
    )

    if isinstance(obj, IndirectObject):
        return ref(obj)
    if isinstance(obj, ArrayObject):
        return ArrayObject(_copy(item, ref) for item in obj)
    if isinstance(obj, DictionaryObject):
        copied = StreamObject() if isinstance(obj, StreamObject) else DictionaryObject()
        if isinstance(obj, StreamObject) and isinstance(copied, StreamObject):
            copied._data = obj._data  # still encoded: /Filter is copied with the rest
        for key, value in _items(obj):
            if key == "/Parent" and parent is not None:
                copied[NameObject(key)] = IndirectObject(parent, 0, None)
            elif key != "/Length":
                copied[NameObject(key)] = _copy(value, ref)
        return copied
    return obj


def _items(obj: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    yield from dict.items(obj)  # the raw values: DictionaryObject's own items() resolves references
