"""Format checks for the public identifiers and the website an organisation may give.

Only ASCII digits count: `\\d` would also take full-width and Arabic-Indic digits, which look
like a real number to a reader and match nothing in the public registers.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# England and Wales: 6 or 7 digits, optionally with a -N subsidiary suffix; Scotland: SC + 6
# digits; Northern Ireland: NIC + 5 or 6 digits.
validate_charity_number = RegexValidator(
    r"^([0-9]{6,7}(-[0-9]{1,2})?|SC[0-9]{6}|NIC[0-9]{5,6})$",
    _("Enter a charity number like 1234567, SC012345 or NIC100001."),
)
# Companies House: 8 digits, or a 2-letter prefix (SC, NI, OC, ...) and 6 digits.
validate_company_number = RegexValidator(
    r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$",
    _("Enter a company number of 8 characters, like 01234567 or SC123456."),
)
# England: the Department for Education's unique reference number, 6 digits; Scotland: the
# school's SEED code, 7 digits.
validate_school_urn = RegexValidator(
    r"^[0-9]{6,7}$",
    _("Enter a school number of 6 digits (URN, like 115678) or 7 (Scotland's SEED code)."),
)

# Characters that make text display in another order than it is stored (a link that reads
# as one address and goes to another).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def normalise_identifier(value: str) -> str:
    """Upper case without spaces; refuse digits other than 0 to 9, saying so."""
    value = value.strip().upper().replace(" ", "")
    if any(character.isdigit() and not character.isascii() for character in value):
        raise ValidationError(
            _("Type the number with the digits 0 to 9 only."), code="non_ascii_digits"
        )
    return value


def validate_website(value: str) -> None:
    if any(character in BIDI_CONTROLS for character in value):
        raise ValidationError(
            _(
                "The web address contains hidden characters that change its direction. Type it again."
            ),
            code="bidi",
        )
    try:
        parts = urlsplit(value)
    except ValueError as error:  # for example, brackets that are not an IPv6 address
        raise ValidationError(
            _("Enter a web address like https://example.org"), code="invalid"
        ) from error
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(
            _("Enter the web address without a name or password in it, like https://example.org"),
            code="userinfo",
        )
