"""Uploaded files out of public view: a photo that moderation hides stops answering at once.

Public uploads live in the default storage, which the web server in front (or object storage)
serves to anyone with the address. Hiding moves a file, under the same name, to the "private"
storage, which nothing serves: a folder outside the media folder, or a private prefix of the
bucket. Showing it again moves it back. Both are safe to repeat.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileStorage(FileSystemStorage):
    """The media folder's twin that no web server serves (`PRIVATE_MEDIA_ROOT`)."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self):
        return None  # never linked


def _move(names, source, target) -> None:
    for name in dict.fromkeys(name for name in names if name):
        if not source.exists(name):
            continue  # moved already, or never made
        if target.exists(name):
            target.delete(name)
        with source.open(name, "rb") as content:
            target.save(name, content)
        source.delete(name)


def make_private(names) -> None:
    _move(names, storages["default"], storages["private"])


def make_public(names) -> None:
    _move(names, storages["private"], storages["default"])
