"""Untrusted image bytes -> a small RGB picture, or the reason it is refused.

Only JPEG, PNG, GIF and WebP are opened (an SVG, a TIFF, a PSD are refused by name); the size the
header declares is checked before a pixel is decoded, so a decompression bomb (a 20,000 x 20,000
PNG of a few kilobytes) is refused without the memory it asks for; an animation gives its first
frame; a JPEG is decoded at the smallest scale that still fills the box (Pillow's draft mode), and
the result is shrunk to the box at once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageFile

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MAX_PIXELS = 24_000_000
"""The most pixels a picture may declare: a 6000 x 4000 photo. Below Pillow's own limit, so that
its bomb check refuses first what gets past ours."""
BOX = (1600, 1600)
"""Largest picture kept after decoding: wider than any article pane at the terminal's pixel size."""

# Pillow's process-wide bomb limit, below its default: whatever opens an image in this process.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is broken, never half a picture


class PictureRefused(Exception):
    """A picture that will not be shown; ``reason`` is a code the UI words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Reason codes.
FORMAT = "format"  # not JPEG, PNG, GIF or WebP (SVG among them)
TOO_MANY_PIXELS = "too_many_pixels"  # a decompression bomb, or simply too big
BROKEN = "broken"  # truncated or damaged
TINY = "tiny"  # a tracking pixel that got past extraction (no size declared in the page)

SMALLEST = 8  # pixels on a side: anything smaller is a pixel or a spacer, not a picture


@dataclass(frozen=True, slots=True)
class Picture:
    """A decoded picture, ready to draw."""

    image: Image.Image  # RGB, at most BOX
    width: int  # as the file declared it
    height: int


def decode_picture(data: bytes, box: tuple[int, int] = BOX) -> Picture:
    """The first frame of ``data`` as an RGB picture no larger than ``box``; :class:`PictureRefused`
    otherwise. Call it off the UI thread: decoding takes time."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<", b"\xef\xbb\xbf<")) or b"<svg" in head:
        raise PictureRefused(FORMAT)  # SVG and other markup: never parsed
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise PictureRefused(TOO_MANY_PIXELS) from None
    except Image.UnidentifiedImageError:
        raise PictureRefused(FORMAT) from None
    except Exception:
        raise PictureRefused(BROKEN) from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PictureRefused(TOO_MANY_PIXELS)
        if width < SMALLEST or height < SMALLEST:
            raise PictureRefused(TINY)
        try:
            image.seek(0)  # an animation's first frame
            if image.format == "JPEG":
                image.draft("RGB", box)
            image.load()
            frame = (
                image.convert("RGBA") if image.mode in ("P", "PA", "LA", "RGBA", "I", "I;16", "F") else image
            )
            if frame.mode == "RGBA":
                flat = Image.new("RGB", frame.size, (0, 0, 0))
                flat.paste(frame, mask=frame.getchannel("A"))
                frame = flat
            elif frame.mode != "RGB":
                frame = frame.convert("RGB")
            frame.thumbnail(box)
            # Pixels only: the file's metadata (text chunks, EXIF, ICC) stays behind.
            frame = Image.frombytes("RGB", frame.size, frame.tobytes())
        except Image.DecompressionBombError:
            raise PictureRefused(TOO_MANY_PIXELS) from None
        except Exception:
            raise PictureRefused(BROKEN) from None
    return Picture(frame, width, height)
