"""Documents the board publishes (charter, budget, reports, minutes, requisites): upload checks,
storage under instance/documents/ with generated names, listing and deletion."""

import os
import secrets
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from snt import audit
from snt.database import write_transaction, writes
from snt.extensions import db
from snt.models import Account, Document
from snt.public.services import PAGE_TITLES
from snt.text import clean_name, size_text

# A document belongs to the public page of its category (/page/<category>).
CATEGORIES = {slug: PAGE_TITLES[slug] for slug in ("charter", "budget", "reports", "minutes", "requisites")}

_PDF, _OLE, _ZIP = b"%PDF-", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04"
# extension: (what the file must start with, MIME type to serve it with, a name for messages)
FILE_TYPES = {
    ".pdf": (_PDF, "application/pdf", "PDF"),
    ".doc": (_OLE, "application/msword", "Word"),
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    ".xls": (_OLE, "application/vnd.ms-excel", "Excel"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text", "OpenDocument"),
    ".ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument"),
}
ALLOWED = ", ".join(FILE_TYPES)
_CHUNK = 1 << 16
_MIMETYPE_MAX_BYTES = 100  # «application/vnd.oasis.opendocument.spreadsheet» is 46


class DocumentError(ValueError):
    """A Russian message for the person who uploads the file."""


def folder() -> Path:
    path = Path(current_app.instance_path) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(document: Document) -> Path:
    return folder() / document.stored_name


def mimetype_of(document: Document) -> str:
    return FILE_TYPES[Path(document.stored_name).suffix][1]


def max_size() -> int:
    return current_app.config["DOCUMENT_MAX_BYTES"]


def upload(
    stream: BinaryIO, filename: str, title: str, category: str, is_public: bool, by: Account | None
) -> Document:
    """Check and store one file; raises DocumentError and leaves nothing behind on any problem."""
    if category not in CATEGORIES:
        raise DocumentError("Выберите раздел из списка.")
    name = clean_name(filename or "")
    extension = Path(name).suffix.lower()
    if extension not in FILE_TYPES:
        raise DocumentError(
            f"Файл «{name or 'без имени'}» не подходит: можно загрузить только {ALLOWED} "
            "(PDF, Word, Excel, OpenDocument)."
        )
    stored_name = secrets.token_hex(16) + extension
    target = folder() / stored_name
    try:
        size = _copy_limited(stream, target)
        _check_content(target, extension, name)
    except DocumentError:
        target.unlink(missing_ok=True)
        raise
    try:
        with write_transaction():  # after the file is on disk: the lock is held only for the rows
            document = Document(
                title=title.strip() or Path(name).stem,
                category=category,
                original_name=name,
                stored_name=stored_name,
                size=size,
                is_public=is_public,
                uploaded_by_id=by.id if by else None,
            )
            db.session.add(document)
            db.session.flush()
            audit.record("document.upload", by, document, label=document.title, details=_describe(document))
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return document


def _copy_limited(stream: BinaryIO, target: Path) -> int:
    limit = max_size()
    size = 0
    with open(target, "wb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise DocumentError(
                    f"Файл слишком большой: можно не больше {size_text(limit)}. "
                    "Уменьшите файл (например, сохраните PDF с меньшим разрешением) и загрузите снова."
                )
            out.write(chunk)
    if size == 0:
        raise DocumentError("Файл пустой. Выберите файл с документом.")
    return size


def _check_content(path: Path, extension: str, name: str) -> None:
    """The file's first bytes (and, for ZIP-based formats, its inside) must match its extension."""
    magic, _, kind = FILE_TYPES[extension]
    with open(path, "rb") as handle:
        head = handle.read(len(magic))
    problem = head != magic
    if not problem and magic == _ZIP:
        problem = not _zip_looks_like(path, extension)
    if problem:
        raise DocumentError(
            f"Файл «{name}» назван как {extension}, но внутри не документ {kind}. "
            "Сохраните документ в этом формате ещё раз и загрузите его."
        )


def _zip_looks_like(path: Path, extension: str) -> bool:
    """A Word/Excel file lists its content types; an OpenDocument file starts with its MIME type.

    Nothing is inflated but the few bytes of `mimetype`: its declared size is checked first, and
    zipfile never inflates past it (a 0.8 MB file can hold 800 MB of zeros there).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if extension in (".docx", ".xlsx"):
                return "[Content_Types].xml" in names
            expected = FILE_TYPES[extension][1].encode()
            if "mimetype" not in names:
                return False
            member = archive.getinfo("mimetype")
            if member.file_size > _MIMETYPE_MAX_BYTES:
                return False
            with archive.open(member) as content:
                return content.read(_MIMETYPE_MAX_BYTES).strip() == expected
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        return False  # damaged, encrypted or compressed in a way nobody's office suite writes


@writes
def update(document: Document, title: str, category: str, is_public: bool, by: Account | None) -> None:
    if category not in CATEGORIES:
        raise DocumentError("Выберите раздел из списка.")
    document.title, document.category, document.is_public = title.strip(), category, is_public
    audit.record("document.edit", by, document, label=document.title, details=_describe(document))


@writes
def delete(document: Document, by: Account | None) -> None:
    path = path_of(document)
    audit.record("document.delete", by, document, label=document.title, details=_describe(document))
    db.session.delete(document)
    if path.exists():
        os.remove(path)


def _describe(document: Document) -> str:
    who = "всем" if document.is_public else "только членам товарищества"
    return f"раздел «{CATEGORIES[document.category]}», файл {document.original_name}, доступ: {who}"


def listed(category: str | None = None, members: bool = True) -> list[Document]:
    """Newest first; without `members`, only public documents."""
    query = select(Document).order_by(Document.uploaded_at.desc(), Document.id.desc())
    if category is not None:
        query = query.where(Document.category == category)
    if not members:
        query = query.where(Document.is_public.is_(True))
    return list(db.session.scalars(query))
