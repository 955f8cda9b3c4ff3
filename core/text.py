"""Text from people is cleaned once, where it enters: in the forms.

NUL is refused (Django's own validator says so); other C0 and C1 control characters,
which no keyboard types and XML 1.0 cannot carry, are removed; tab and newline stay.
Everything is normalised to NFC so that the same words are stored the same way.
"""

import re
import unicodedata

# C0 except tab, line feed and carriage return (a browser sends CRLF in textareas), DEL, C1.
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# XML 1.0 also forbids NUL, lone surrogates and two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """Remove control characters (not NUL, tab or newline) and normalise to NFC."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", _CONTROLS.sub("", value))


def xml_safe(value) -> str:
    """The text with anything XML 1.0 cannot carry removed: a last guard for feeds and SVG."""
    return _NOT_XML.sub("", str(value))
