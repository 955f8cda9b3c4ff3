"""Format checks for the public identifiers an organisation may give."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# England and Wales: 6 or 7 digits, optionally with a -N subsidiary suffix; Scotland: SC + 6
# digits; Northern Ireland: NIC + 5 or 6 digits.
validate_charity_number = RegexValidator(
    r"^(\d{6,7}(-\d{1,2})?|SC\d{6}|NIC\d{5,6})$",
    _("Enter a charity number like 1234567, SC012345 or NIC100001."),
)
# Companies House: 8 digits, or a 2-letter prefix (SC, NI, OC, ...) and 6 digits.
validate_company_number = RegexValidator(
    r"^(\d{8}|[A-Z]{2}\d{6})$",
    _("Enter a company number of 8 characters, like 01234567 or SC123456."),
)
# Department for Education unique reference number.
validate_school_urn = RegexValidator(r"^\d{6}$", _("Enter a school URN of 6 digits, like 115678."))
