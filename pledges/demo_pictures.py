"""Pictures for the demo town, drawn at seed time with Pillow: places and things, never people.

So that every shape (`make run`, `make serve`, compose) shows the story wall, organisation pages
and priority pages with photos from the first minute. Each has alt text that says what it is.
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from core.images import smaller_copies
from organisations.models import Organisation

from .models import ProgressUpdate
from .tasks import STORY_IMAGE_WIDTHS

WIDTH, HEIGHT = 960, 640
SKY, GRASS, SOIL, WOOD = "#bfe3f5", "#7fb069", "#6b4f3a", "#b5835a"


def _garden(draw):
    draw.rectangle([0, 0, WIDTH, 380], fill=SKY)
    draw.ellipse([760, 50, 880, 170], fill="#f4c95d")
    draw.rectangle([0, 380, WIDTH, HEIGHT], fill=GRASS)
    for left in (80, 380, 680):
        draw.rectangle([left, 430, left + 220, 560], fill=SOIL)
        for x in range(left + 25, left + 220, 45):
            draw.ellipse([x - 18, 400, x + 18, 450], fill="#3d8b37")


def _books(draw):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill="#f6efe4")
    colours = ["#1d4f4a", "#d4351c", "#f4c95d", "#5694ca", "#85994b", "#912b88"]
    for shelf, top in enumerate((120, 330)):
        draw.rectangle([60, top + 170, 900, top + 190], fill=WOOD)
        x = 80
        for index in range(14):
            width = 36 + (index * 7 + shelf * 5) % 24
            height = 120 + (index * 13) % 50
            draw.rectangle([x, top + 170 - height, x + width, top + 170], fill=colours[index % 6])
            x += width + 6


def _cups(draw):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill="#e8f1f8")
    draw.rectangle([0, 360, WIDTH, HEIGHT], fill=WOOD)
    for index, left in enumerate(range(90, 860, 190)):
        colour = ["#d4351c", "#1d4f4a", "#f4c95d", "#5694ca"][index % 4]
        draw.rectangle([left, 300, left + 110, 420], fill=colour)
        draw.ellipse([left + 95, 330, left + 150, 390], outline=colour, width=14)
        draw.ellipse([left - 20, 410, left + 130, 440], fill="#ffffff")


def _noticeboard(draw):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill="#d9d3c7")
    draw.rectangle([100, 80, 860, 560], fill="#c8a165", outline=WOOD, width=20)
    notes = ["#f4c95d", "#ffdde1", "#c7e6ff", "#d6f5c9", "#fff3b0", "#e5d4ff"]
    for index in range(9):
        row, column = divmod(index, 3)
        left, top = 160 + column * 230, 130 + row * 140
        draw.rectangle([left, top, left + 170, top + 110], fill=notes[index % 6])
        draw.ellipse([left + 78, top + 4, left + 92, top + 18], fill="#d4351c")
        for line in range(3):
            draw.line([left + 20, top + 40 + line * 22, left + 150, top + 40 + line * 22],
                      fill="#505a5f", width=4)  # fmt: skip


def _warm_room(draw):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill="#fbe9d0")
    draw.rectangle([0, 470, WIDTH, HEIGHT], fill="#a0522d")
    draw.rectangle([620, 90, 860, 300], fill="#bfe3f5", outline="#ffffff", width=12)
    draw.rectangle([120, 330, 520, 480], fill="#1d4f4a")
    draw.rectangle([100, 290, 160, 480], fill="#1d4f4a")
    draw.rectangle([480, 290, 540, 480], fill="#1d4f4a")
    draw.polygon([(700, 470), (740, 360), (780, 470)], fill="#f4c95d")
    draw.line([740, 360, 740, 250], fill="#505a5f", width=6)


PICTURES = [
    (_garden, "A drawing of three raised vegetable beds on a lawn under a blue sky."),
    (_books, "A drawing of two wooden shelves full of brightly coloured books."),
    (_cups, "A drawing of four coloured mugs on saucers, set out on a wooden table."),
    (_noticeboard, "A drawing of a cork noticeboard with nine pinned notes in soft colours."),
    (_warm_room, "A drawing of a warm room with a green sofa, a window and a lamp."),
]


def _saved(draw_picture, *, folder: str, size, fmt: str) -> str:
    image = Image.new("RGB", size, "#ffffff")
    draw_picture(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=85)
    suffix = "jpg" if fmt == "JPEG" else "png"
    return default_storage.save(
        f"{folder}/{uuid.uuid4().hex}.{suffix}", ContentFile(buffer.getvalue())
    )


def picture_updates(updates) -> list:
    """Give these updates a drawn picture each (in turn), with its sizes and alt text."""
    for index, update in enumerate(updates):
        draw_picture, alt = PICTURES[index % len(PICTURES)]
        update.image = _saved(draw_picture, folder="updates", size=(WIDTH, HEIGHT), fmt="JPEG")
        update.image_alt = alt
        update.image_sizes = smaller_copies(update.image, STORY_IMAGE_WIDTHS)
    return updates


def logo(initials: str, colour: str) -> str:
    """A round logo with the organisation's initials; returns its stored name."""

    def draw_logo(draw):
        draw.ellipse([8, 8, 232, 232], fill=colour)
        draw.text((120, 120), initials, fill="#ffffff", anchor="mm", font_size=96)

    return _saved(draw_logo, folder="logos", size=(240, 240), fmt="PNG")


def add_demo_pictures(organisations) -> None:
    """Pictures on these organisations' newest stories, and logos for the first four."""
    stories = ProgressUpdate.objects.filter(
        pledge__organisation__in=organisations, status=ProgressUpdate.Status.PUBLISHED
    ).order_by("-published_at")[:8]
    ProgressUpdate.objects.bulk_update(
        picture_updates(list(stories)), ["image", "image_alt", "image_sizes"]
    )
    colours = ["#1d4f4a", "#5694ca", "#912b88", "#d4351c"]
    for index, organisation in enumerate(organisations[:4]):
        initials = "".join(word[0] for word in organisation.name.split()[:2]).upper()
        organisation.logo = logo(initials, colours[index])
    Organisation.objects.bulk_update(organisations[:4], ["logo"])
