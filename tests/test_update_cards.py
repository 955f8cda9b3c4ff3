"""Kindness made visible: progress updates as cards with their photo, in sizes made once on upload."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from places.models import Area
from pledges.models import Pledge, ProgressUpdate
from tests.factories import ProgressUpdateFactory, StoryFactory
from tests.public_world import published_organisation
from tests.test_uploads import png_bytes, post_update, upload

pytestmark = pytest.mark.django_db


def test_an_uploaded_photo_gets_its_sizes_made_once_by_the_worker(
    client,
    publisher,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        post_update(
            client,
            publisher,
            image=upload("garden.jpg", png_bytes(size=(2400, 1800)), "image/jpeg"),
            image_alt="Two volunteers digging a vegetable bed",
        )
    update = ProgressUpdate.objects.get()
    assert sorted(int(width) for width in update.image_sizes) == [320, 640, 960, 1600]
    for width, name in update.image_sizes.items():
        with default_storage.open(name) as stored, Image.open(stored) as image:
            assert image.width == int(width)
    assert update.image_sizes["1600"] == update.image.name  # the original is one of them

    # A new photo replaces the sizes; the old copies are not offered any more.
    membership, _pledge = publisher
    edit = reverse(
        "pledges:update-edit", kwargs={"org_id": membership.organisation_id, "update_id": update.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            {
                "title": "Our garden",
                "body": "We planted a garden.",
                "priorities": [update.priorities.first().pk],
                "image": upload("small.png", png_bytes(size=(500, 400))),
                "image_alt": "A sunflower",
            },
        )
    update.refresh_from_db()
    assert sorted(int(width) for width in update.image_sizes) == [320, 500]


def card_images(html):
    return re.findall(r'<img class="app-card__image"[^>]*>', html)


def test_updates_are_cards_with_their_photo_on_every_page_that_lists_them(client):
    pledge = published_organisation("Photo Garden Club", updates=0)
    update = ProgressUpdateFactory(pledge=pledge, title="Planting day", image_alt="Seedlings")
    update.image.save("seedlings.png", ContentFile(png_bytes(size=(1600, 1200))))
    ProgressUpdate.objects.filter(pk=update.pk).update(
        image_sizes={"320": "updates/a-320w.jpg", "1600": update.image.name}
    )
    priority = update.priorities.first()
    for url in (
        reverse("registry:updates"),
        reverse("registry:home"),
        pledge.organisation.get_absolute_url(),
        priority.get_absolute_url(),
    ):
        images = card_images(client.get(url).content.decode())
        assert len(images) == 1, url
        image = images[0]
        assert 'alt="Seedlings"' in image and 'loading="lazy"' in image, url
        assert "a-320w.jpg 320w" in image and " 1600w" in image and "sizes=" in image, url


def test_an_update_without_a_photo_is_a_card_without_an_image(client):
    ProgressUpdateFactory(title="Words only")
    page = client.get(reverse("registry:updates")).content.decode()
    assert "Words only" in page and card_images(page) == []


def test_the_wall_filters_by_the_area_each_pledge_serves(client):
    east = published_organisation("East Club", updates=1, stories=0)
    west = published_organisation("West Club", updates=1, stories=0)
    Pledge.objects.filter(pk=east.pk).update(area=Area.objects.get(slug="oakley"))
    Pledge.objects.filter(pk=west.pk).update(area=Area.objects.get(slug="springbank"))
    # A story is in an area when it says so, or when it happened at an organisation there.
    StoryFactory(organisation=east.organisation, body="Seen at the east club.")
    StoryFactory(
        organisation=west.organisation, area=Area.objects.get(slug="oakley"), body="Said oakley."
    )
    StoryFactory(organisation=west.organisation, body="Seen at the west club.")
    page = client.get(reverse("registry:updates"), {"area": "oakley"}).content.decode()
    assert "East Club" in page and "Story 0 from West Club" not in page
    assert "Seen at the east club." in page and "Said oakley." in page
    assert "Seen at the west club." not in page


def test_an_excerpt_keeps_the_breaks_between_list_items():
    from django.template import Context, Template

    body = (
        "We heard:\n\n- Shorter forms\n- A friendly face at reception\n- <b>More</b> flexible times"
    )
    rendered = Template("{% load site %}{{ body|excerpt:30 }}").render(Context({"body": body}))
    assert rendered == (
        "We heard:<br>Shorter forms<br>A friendly face at reception<br>"
        "&lt;b&gt;More&lt;/b&gt; flexible times"
    )
    short = Template("{% load site %}{{ body|excerpt:4 }}").render(Context({"body": body}))
    assert short == "We heard:<br>Shorter forms …"


def test_the_narrow_page_list_links_one_page_either_side_with_every_gap_marked():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    page = Paginator(range(400), 20).get_page(10)
    html = render_to_string(
        "includes/_pagination.html", {"page": page}, request=RequestFactory().get("/updates/")
    )
    narrow = html.split("app-pagination__list--narrow", 1)[1].split("</ul>", 1)[0]
    numbers = re.findall(r">(\d+|&ctdot;)</", narrow)
    assert numbers == ["1", "&ctdot;", "9", "10", "11", "&ctdot;", "20"]


def test_the_wall_pages_updates_and_stories_together_newest_first():
    from datetime import timedelta

    from django.utils import timezone

    from core.paging import PublicPaginator
    from places.models import Place
    from registry.selectors import wall_entries

    pledge = published_organisation("Busy Club", updates=0, stories=0)
    now, made = timezone.now(), []
    for n in range(45):  # interleaved, so that each page takes from both parts
        at = now - timedelta(minutes=n)
        if n % 3:
            made.append(("update", ProgressUpdateFactory(pledge=pledge, published_at=at).pk, at))
        else:
            story = StoryFactory(organisation=pledge.organisation, published_at=at)
            made.append(("story", story.pk, at))
    place = Place.objects.default()
    for number, expected in ((1, made[:20]), (2, made[20:40]), (3, made[40:])):
        page = PublicPaginator(wall_entries(place, {}), 20).get_page(number)
        assert list(page.object_list) == expected
    assert PublicPaginator(wall_entries(place, {}), 20).count == 45
    # A part that cannot match is left out, and the other still pages.
    only = wall_entries(place, {"priority": "no-such-priority"})
    assert PublicPaginator(only, 20).get_page(1).object_list == []
