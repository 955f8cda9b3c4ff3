"""Names that look alike: the confusable skeleton of Unicode TR39, from a maintained package.

"Оakwood" with a Cyrillic О reads as "Oakwood" but is another string. Comparing skeletons
gives a look-alike the same "already registered?" prompt as the plain spelling, and a name that
mixes alphabets with look-alike letters is flagged for moderators. The words of a name that
say which organisation it is (`meaningful_words`) live here too.
"""

import functools
import re

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


# Words in the names of many kinds of organisation: sharing one says nothing.
COMMON_NAME_WORDS = set(
    """and the for of st saint uk ltd limited cic plc trust charity charitable foundation
    association society group club community centre center project services service network
    partnership council borough county school primary secondary academy college nursery
    preschool pre-school infant junior church parish cafe café fc town cheltenham
    gloucestershire""".split()  # noqa: SIM905 - a word list reads better as prose
)


def meaningful_words(name: str) -> list[str]:
    words = re.findall(r"[\w'’-]+", name.lower())
    return [word for word in words if len(word) > 2 and word.strip("'’") not in COMMON_NAME_WORDS]
