"""Whether a story seems to name a child or a family: any flag word, as a whole word or
phrase, in any case. Written once, for the submission, a moderator's edit and the queue."""

import re

from .models import FlagWord


def flag_words_in(text: str) -> list[str]:
    """The flag words the text contains, for the flag and for the moderator to see why."""
    return [
        word
        for word in FlagWord.objects.filter(active=True).values_list("word", flat=True)
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE)
    ]
