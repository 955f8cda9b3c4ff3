import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organisations.models import Organisation
from pledges.models import ProgressUpdate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30), color=(200, 50, 50), exif=False):
    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"  # Make
        data[0x8825] = {2: (51.0, 54.0, 0.0)}  # GPSInfo
        image.save(buffer, format="JPEG", exif=data)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_update(client, publisher, **extra):
    membership, pledge = publisher
    data = {
        "title": "Our garden",
        "body": "We planted a garden.",
        "priorities": [pledge.agreement.priorities.first().pk],
        "image_alt": "",
        **extra,
    }
    return client.post(
        reverse("pledges:update-new", kwargs={"org_id": membership.organisation_id}), data
    )


def test_non_image_renamed_png_is_rejected(client, publisher):
    response = post_update(
        client, publisher, image=upload("evil.png", b"#!/bin/sh\necho hi\n"), image_alt="x"
    )
    assert response.status_code == 200
    assert "The selected file must be an image" in response.text
    assert not ProgressUpdate.objects.exists()


def test_an_8_mb_file_is_rejected_by_the_form(client, publisher):
    response = post_update(
        client, publisher, image=upload("big.png", b"\0" * (8 * 1024 * 1024)), image_alt="x"
    )
    assert response.status_code == 200
    assert "smaller than 5 MB" in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_decompression_bomb_is_rejected(client, publisher):
    # A tiny PNG that claims 30000 x 30000 pixels.
    bomb = io.BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, format="PNG")
    assert bomb.tell() < 5 * 1024 * 1024
    response = post_update(
        client, publisher, image=upload("bomb.png", bomb.getvalue()), image_alt="x"
    )
    assert response.status_code == 200
    assert "too large to process" in response.text
    assert not ProgressUpdate.objects.exists()


def test_an_image_without_alt_text_is_rejected_and_the_text_kept(client, publisher):
    response = post_update(client, publisher, image=upload("ok.png", png_bytes()))
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.text
    assert "We planted a garden." in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_good_image_is_re_encoded_without_exif_and_renamed(client, publisher):
    response = post_update(
        client,
        publisher,
        image=upload(
            "../../etc/My Photo.jpg", png_bytes(size=(3000, 2000), exif=True), "image/jpeg"
        ),
        image_alt="Children's hands planting seeds",
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert "My Photo" not in update.image.name and update.image.name.startswith("updates/")
    with Image.open(update.image.path) as stored:
        assert max(stored.size) == 1600
        assert not stored.getexif()
    assert b"SecretCameraMaker" not in Path(update.image.path).read_bytes()


def test_logo_is_verified_and_resized(client):
    client.force_login(UserFactory())
    data = {"name": "Logo Test Charity", "type": "charity"}
    bad = client.post(
        reverse("organisations:register"),
        {**data, "logo": upload("logo.png", b"GIF89a not really")},
    )
    assert "The selected file must be an image" in bad.text
    assert not Organisation.objects.exists()
    good = client.post(
        reverse("organisations:register"),
        {**data, "logo": upload("logo.png", png_bytes(size=(1200, 900)))},
    )
    assert good.status_code == 302
    organisation = Organisation.objects.get()
    with Image.open(organisation.logo.path) as stored:
        assert max(stored.size) == 600


def test_a_photo_with_a_long_name_in_another_alphabet_is_accepted(client, publisher):
    """A browser sends the file's name as it is, in UTF-8 inside the part's headers: a name
    of about 1 KB passed Django's own 1 KB limit on those headers, and the whole form was
    refused with a 400, losing what was typed. Sent here as Chromium sends it."""
    membership, pledge = publisher
    url = reverse("pledges:update-new", kwargs={"org_id": membership.organisation_id})
    token = client.get(url).cookies["csrftoken"].value
    fields = {
        "csrfmiddlewaretoken": token,
        "title": "Our garden",
        "body": "We planted a garden.",
        "priorities": str(pledge.agreement.priorities.first().pk),
        "image_alt": "Seedlings in a tray",
    }
    name = ("сад" * 170 + ".png").encode()  # Cyrillic, two bytes a letter: 1,024 bytes
    boundary = b"BoUnDaRy7MA4YWxkTrZu0gW"
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary, key.encode(), value.encode())
        for key, value in fields.items()
    ) + (
        b'--%s\r\nContent-Disposition: form-data; name="image"; filename="%s"\r\n'
        b"Content-Type: image/png\r\n\r\n%s\r\n--%s--\r\n" % (boundary, name, png_bytes(), boundary)
    )
    response = client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={boundary.decode()}"
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.title == "Our garden" and update.image.name.startswith("updates/")
    assert "сад" not in update.image.name
