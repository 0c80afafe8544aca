"""Meter photos: checked by their content, re-encoded without any metadata, kept under instance/.

A photo is read by Pillow (JPEG, PNG, WebP, and HEIC/HEIF from iPhones through pillow-heif),
never trusted by its name or type. The pixel count is checked from the header before anything is
decoded, so a small file cannot unpack into hundreds of megabytes. What is stored is a new JPEG
of at most MAX_SIDE px drawn from the pixels alone: EXIF (GPS, the phone's model), XMP and ICC
are not carried over. The camera's own date is read from EXIF first and kept beside the reading.
"""

from __future__ import annotations

import functools
import secrets
import warnings
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from flask import current_app

from snt.storage import files_dir

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 25_000_000  # a 24-megapixel phone photo passes; decoded RGB stays under 75 MB

FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
MAX_SIDE = 1600
SMALL_SIDE = 320
QUALITY = 85
_CHUNK = 1 << 16
_EXIF_IFD, _DATE_ORIGINAL, _DATE_TIME = 0x8769, 0x9003, 0x0132


class PhotoError(ValueError):
    """A Russian message for the member: the photo was not taken."""


@dataclass(frozen=True)
class StoredPhoto:
    name: str  # the full-size file; the small one is small_name(name)
    taken_at: datetime | None


def folder() -> Path:
    return files_dir(current_app.config["READINGS_PHOTO_FOLDER"])  # FILES_DIR: shared by every process


def small_name(name: str) -> str:
    return name.replace(".jpg", "-small.jpg")


def path_of(name: str, small: bool = False) -> Path:
    return folder() / (small_name(name) if small else name)


def store(stream: BinaryIO) -> StoredPhoto:
    """Check, clean and store one uploaded photo; PhotoError (and nothing on disk) otherwise."""
    image, taken_at = _open(_read_limited(stream))
    name = secrets.token_hex(16) + ".jpg"
    try:
        _save(image, MAX_SIDE, path_of(name))
        _save(image, SMALL_SIDE, path_of(name, small=True))
    except (OSError, ValueError) as exc:
        delete(name)
        raise PhotoError(_NOT_A_PHOTO) from exc
    except BaseException:
        delete(name)
        raise
    return StoredPhoto(name, taken_at)


def delete(name: str) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)
        path_of(name, small=True).unlink(missing_ok=True)


def clean_jpeg(data: bytes) -> bytes:
    """`data` as it would be stored at full size (for tests and the treasurer's tools)."""
    image, _ = _open(data)
    out = BytesIO()
    _encode(image, MAX_SIDE, out)
    return out.getvalue()


def _read_limited(stream: BinaryIO) -> bytes:
    limit = current_app.config["READINGS_PHOTO_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoError(f"Фото слишком большое: можно не больше {limit // (1024 * 1024)} МБ.")
    if not data:
        raise PhotoError("Файл фото пустой. Выберите снимок счётчика ещё раз.")
    return data


@functools.cache
def _pillow() -> None:
    """Pillow set up once, on the first photo (not on every start of the site): its own guard
    against huge images (it refuses at twice MAX_PIXELS, process-wide) and HEIC/HEIF."""
    import pillow_heif
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    pillow_heif.register_heif_opener()


def _open(data: bytes) -> tuple[Image.Image, datetime | None]:
    """The decoded, upright image and the camera's date; PhotoError for anything else."""
    _pillow()
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # above MAX_PIXELS Pillow only warns: refuse it here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
        if image.format not in FORMATS:
            raise PhotoError(_NOT_A_PHOTO)
        if image.width * image.height > MAX_PIXELS:
            raise PhotoError(_TOO_MANY_PIXELS)
        taken_at = _taken_at(image)
        if image.format == "JPEG":
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at a reduced scale: less memory
        upright = ImageOps.exif_transpose(image)  # the picture as seen, before EXIF is dropped
        upright.load()
    except PhotoError:
        raise
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:  # Pillow's guard, at twice MAX_PIXELS
        raise PhotoError(_TOO_MANY_PIXELS) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise PhotoError(_NOT_A_PHOTO) from exc
    return upright, taken_at


_TOO_MANY_PIXELS = (
    f"Снимок слишком большой: больше {MAX_PIXELS // 1_000_000} мегапикселей. "
    "Сфотографируйте счётчик в обычном режиме камеры."
)
_NOT_A_PHOTO = "Файл не похож на фотографию: можно приложить снимок JPEG, PNG, WebP или HEIC (с iPhone)."


def _taken_at(image: Image.Image) -> datetime | None:
    exif = image.getexif()
    text = exif.get_ifd(_EXIF_IFD).get(_DATE_ORIGINAL) or exif.get(_DATE_TIME)
    try:
        return datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if text else None
    except ValueError:
        return None


def _save(image: Image.Image, side: int, path: Path) -> None:
    with open(path, "wb") as out:
        _encode(image, side, out)


def _encode(image: Image.Image, side: int, out: BinaryIO) -> None:
    """A new RGB image from the pixels only: no EXIF, GPS, XMP, ICC or comments survive."""
    from PIL import Image

    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    copy = image.convert("RGBA" if alpha else "RGB")
    copy.thumbnail((side, side))
    clean = Image.new("RGB", copy.size, "white")
    clean.paste(copy, mask=copy.getchannel("A") if copy.mode == "RGBA" else None)
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
