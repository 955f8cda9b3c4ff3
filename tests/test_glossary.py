"""One name for each thing: the glossary's retired names stay out of the templates, and the
addresses they had lead to the new ones."""

import pytest

from core.retired_names import GLOSSARY, retired_names, uses


def test_the_glossary_retires_the_old_names_of_each_thing():
    names = retired_names()
    for name in ("Kindness people noticed", "residents' stories", "progress stories"):
        assert name in names
    assert "registry:directory" in names and "organisations/staff/" in names
    assert "Kindness seen" not in names  # the users' word stays
    assert "| Signatories |" in GLOSSARY.read_text()


def test_no_template_uses_a_retired_name():
    assert uses() == []


def test_the_check_finds_a_retired_name_in_any_case_and_with_a_curly_apostrophe(tmp_path):
    templates = tmp_path / "app" / "templates" / "app"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        "<h2>Kindness People Noticed</h2>\n<p>Residents\u2019 stories</p>"
    )
    (templates / "fine.html").write_text("<h2>Kindness seen</h2>")
    (tmp_path / "notes.html").write_text("Kindness people noticed")  # not a template

    found = uses(tmp_path)

    assert found == [
        "app/templates/app/page.html:1: 'Kindness People Noticed'",
        'app/templates/app/page.html:2: "Residents\' stories"',
    ]


@pytest.mark.django_db
def test_each_page_names_kindness_seen_and_progress_updates_one_way(client):
    from tests.public_world import make_public_world

    make_public_world(2)  # two updates and two stories each
    home = client.get("/").text
    assert "Latest progress updates</h2>" in home and "Kindness seen</h2>" in home
    wall = "/updates/"
    assert "<strong>4 progress updates</strong>" in client.get(wall, {"show": "updates"}).text
    stories = client.get(wall, {"show": "stories"}).text
    assert "<strong>4 stories of kindness seen</strong>" in stories
    both = client.get(wall).text
    assert "<strong>8 progress updates and stories</strong>" in both
