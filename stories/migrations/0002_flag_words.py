"""The first flag words: a story with one of them may name a child or a family. Moderators
tune the list in the admin; this only fills it once."""

from django.db import migrations

WORDS = [
    "aged",
    "baby",
    "daughter",
    "family name",
    "granddaughter",
    "grandson",
    "my boy",
    "my child",
    "my children",
    "my girl",
    "my kids",
    "nephew",
    "niece",
    "son",
    "stepdaughter",
    "stepson",
    "surname",
    "toddler",
    "year old",
    "years old",
]


def add_words(apps, schema_editor):
    FlagWord = apps.get_model("stories", "FlagWord")
    for word in WORDS:
        FlagWord.objects.get_or_create(word=word)


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]
    operations = [migrations.RunPython(add_words, migrations.RunPython.noop)]
