"""Names that look alike: the confusable skeleton of Unicode TR39, from a maintained package.

"Оakwood" with a Cyrillic О reads as "Oakwood" but is another string. Comparing skeletons
gives a look-alike the same "already registered?" prompt as the plain spelling, and a name that
mixes alphabets with look-alike letters is flagged for moderators.
"""

import functools

from confusable_homoglyphs import confusables


@functools.lru_cache(maxsize=4096)
def _latin(character: str) -> str:
    found = confusables.is_confusable(character, greedy=True, preferred_aliases=["latin"])
    return found[0]["homoglyphs"][0]["c"] if found else character


def skeleton(name: str) -> str:
    """The name with each letter that has a Latin look-alike written as that letter."""
    return "".join(_latin(character) for character in name)


def has_look_alikes(name: str) -> bool:
    """Whether the name mixes alphabets with letters that look like each other (a spoof's
    sign; a name written wholly in one alphabet is not flagged)."""
    return bool(name) and bool(confusables.is_dangerous(name))
