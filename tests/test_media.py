"""Uploaded photos and logos answer in every production shape, and a photo that moderation
hides stops answering at its address at once."""

import re
from io import BytesIO, StringIO

import pytest
import requests
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from PIL import Image

from core.images import smaller_copies
from organisations.models import Organisation
from pledges import services
from pledges.models import Concern, ProgressUpdate
from pledges.tasks import STORY_IMAGE_WIDTHS
from tests.factories import ModeratorFactory, ProgressUpdateFactory
from tests.nginx_server import nginx
from tests.servers import collectstatic, gunicorn, production_env


def _photographed_update():
    picture = BytesIO()
    Image.new("RGB", (900, 600), "#7fb069").save(picture, "JPEG")
    update = ProgressUpdateFactory(image_alt="A drawing of a garden.")
    update.image.save("garden.jpg", ContentFile(picture.getvalue()), save=False)
    update.image_sizes = smaller_copies(update.image, STORY_IMAGE_WIDTHS)
    update.save()
    return update


def _urls(update):
    return [storages["default"].url(name) for name in update.stored_files()]


@pytest.mark.django_db
def test_a_hidden_photo_stops_answering_at_once_and_comes_back_when_restored(
    client, django_capture_on_commit_callbacks
):
    update = _photographed_update()
    urls = _urls(update)
    assert len(urls) == 4 and all(client.get(url).status_code == 200 for url in urls)
    moderator = ModeratorFactory()
    services.progress_update_hide(update=update, by=moderator, reason="A child's face.")
    assert all(client.get(url).status_code == 404 for url in urls)
    assert all(storages["private"].exists(name) for name in update.stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_update_restore(update=update, by=moderator, reason="Consent given.")
    assert all(client.get(url).status_code == 200 for url in urls)
    assert not any(storages["private"].exists(name) for name in update.stored_files())


@pytest.mark.django_db
def test_a_concern_about_a_child_hides_the_photo_at_once(client):
    update = _photographed_update()
    url = update.image.url
    services.concern_report(
        organisation=update.pledge.organisation,
        update=update,
        place=update.pledge.place,
        reason=Concern.Reason.CHILD_INFORMATION,
        details="",
        by=AnonymousUser(),
    )
    assert client.get(url).status_code == 404


def _image(response, kind):
    return response.status_code == 200 and response.headers["Content-Type"] == f"image/{kind}"


@pytest.mark.django_db(transaction=True)
def test_production_serves_the_demo_photos_and_a_hidden_one_is_gone_at_once(
    seeded_agreement, settings, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    env = production_env(
        tmp_path / "static",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
    )
    collectstatic(connection.settings_dict, env)
    with (
        gunicorn(connection.settings_dict, extra_env={**env, "SERVE_MEDIA": "1"}) as served,
        gunicorn(connection.settings_dict, extra_env=env) as behind,
        nginx(
            upstream=behind.removeprefix("http://"),
            media_root=settings.MEDIA_ROOT,
            static_root=tmp_path / "static",
        ) as proxy,
    ):
        wall = requests.get(f"{served}/updates/", timeout=10).text
        photo = re.search(r'src="(/media/updates/[^"]+\.jpg)"', wall).group(1)
        with_logo = Organisation.objects.exclude(logo="").first()
        page = requests.get(f"{served}{with_logo.get_absolute_url()}", timeout=10).text
        logo = re.search(r'src="(/media/logos/[^"]+\.png)"', page).group(1)
        for base in (served, proxy):  # make serve's shape, and nginx in front (compose)
            assert _image(requests.get(base + photo, timeout=10), "jpeg")
            assert _image(requests.get(base + logo, timeout=10), "png")
        assert requests.get(f"{behind}{photo}", timeout=10).status_code == 404  # no SERVE_MEDIA
        front = requests.get(f"{proxy}/updates/", timeout=10)
        css = re.search(r'href="(/static/build/app\.[0-9a-f]{12}\.css)"', front.text).group(1)
        assert "immutable" in requests.get(proxy + css, timeout=10).headers["Cache-Control"]

        update = ProgressUpdate.objects.get(image=photo.removeprefix("/media/"))
        services.progress_update_hide(update=update, by=ModeratorFactory(), reason="A face.")
        for base in (served, proxy):
            assert requests.get(base + photo, timeout=10).status_code == 404
            assert _image(requests.get(base + logo, timeout=10), "png")
