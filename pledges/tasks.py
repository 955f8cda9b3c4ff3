"""Slow work about pledges, run by the task worker (`manage.py db_worker`)."""

from django.db import transaction
from django_tasks import task

from core.images import smaller_copies

from .models import ProgressUpdate

STORY_IMAGE_WIDTHS = (320, 640, 960)


@task()
def make_image_sizes(*, update_id: int, image_name: str) -> str:
    """Make the narrower copies of an update's image once, after it is saved. A newer image
    saved meanwhile wins: its own task makes its copies."""
    update = ProgressUpdate.objects.filter(
        pk=update_id, image=image_name, status=ProgressUpdate.Status.PUBLISHED
    ).first()  # a hidden update's photo is not where copies are made from
    if update is None:
        return "image changed or removed"
    from .services import progress_update_store_sizes  # services queue this task

    sizes = smaller_copies(update.image, STORY_IMAGE_WIDTHS)
    if not progress_update_store_sizes(update_id=update_id, image_name=image_name, sizes=sizes):
        return "image changed or removed"
    return f"{len(sizes)} sizes"


def queue_image_sizes(update: ProgressUpdate) -> None:
    """After the transaction commits, when the image is certainly stored."""
    if update.image:
        transaction.on_commit(
            lambda: make_image_sizes.enqueue(update_id=update.pk, image_name=update.image.name)
        )
