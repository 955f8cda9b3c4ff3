"""Verify and re-encode uploaded images, so that only clean pixels are ever stored."""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Decoded pixels cost memory (4 bytes each): 16 million is a 12-megapixel phone photo with room
# to spare, about 64 MB at most. Larger JPEGs are reduced while decoding (draft), so they fit.
MAX_PIXELS = 16_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def clean_image(upload, *, max_side: int) -> ContentFile:
    """Return a re-encoded copy (no EXIF or GPS data) with a generated name, or raise."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image must be smaller than 5 MB."), code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                image_format = probe.format
                width, height = probe.size
                probe.verify()
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("The image must be a JPEG, PNG, WebP or GIF."), code="format"
                )
            upload.seek(0)
            with Image.open(upload) as image:
                if image_format == "JPEG":
                    image.draft("RGB", (max_side, max_side))
                    width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(_pixels_message(width, height), code="pixels")
                image.load()
                image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image is too large to process."), code="pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The selected file must be an image, such as a JPEG or PNG."), code="invalid"
        ) from error

    image.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG", optimize=True)
        suffix = "png"
    else:
        image.save(buffer, format="JPEG", quality=85, optimize=True)
        suffix = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{suffix}")


def _has_alpha(image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def _pixels_message(width: int, height: int) -> str:
    return _(
        "The image is %(width)s × %(height)s pixels, which is too large to process. "
        "Use one of 16 megapixels or fewer, such as 4000 × 4000."
    ) % {"width": width, "height": height}


def smaller_copies(stored, widths) -> dict[str, str]:
    """Save a copy of a stored (already clean) image at each width narrower than it; return
    {width: stored name} for a srcset, the original's own width and name included."""
    from django.core.files.storage import default_storage

    stem = stored.name.rsplit(".", 1)[0]
    names = {}
    with stored.open("rb") as source, Image.open(source) as image:
        image.load()
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        names[str(image.width)] = stored.name
        for width in sorted(widths):
            if width >= image.width:
                continue
            copy = image.resize((width, round(image.height * width / image.width)))
            buffer = io.BytesIO()
            if copy.mode == "RGBA":
                copy.save(buffer, format="PNG", optimize=True)
                suffix = "png"
            else:
                copy.save(buffer, format="JPEG", quality=80, optimize=True, progressive=True)
                suffix = "jpg"
            names[str(width)] = default_storage.save(
                f"{stem}-{width}w.{suffix}", ContentFile(buffer.getvalue())
            )
    return names
