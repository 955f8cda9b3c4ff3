"""An organisation's identifier in the org-id scheme (https://org-id.guide), which 360Giving
and IATI use, so that others can join the open data to their own: the register's prefix and
the organisation's number in it. One rule, used by every download and the API."""

import re

# (identifier field, the number's form, the register's org-id prefix), in order of
# preference: a charity is best known by its charity number, then its company number, then
# (a school) its URN. Scotland's SEED codes have no org-id list yet, so make none.
SCHEMES = [
    ("charity_number", r"SC\d{6}", "GB-SC"),
    ("charity_number", r"NIC(\d{5,6})", "GB-NIC"),
    ("charity_number", r"\d{6,7}(-\d{1,2})?", "GB-CHC"),
    ("company_number", r"[0-9A-Z]{8}", "GB-COH"),
    ("school_urn", r"\d{6}", "GB-EDU"),
]


def org_id(organisation) -> str:
    """`GB-CHC-1234567`, `GB-SC-SC012345`, `GB-NIC-100001`, `GB-COH-01234567` or
    `GB-EDU-115678`; empty when the organisation gave none of those numbers."""
    for field, form, prefix in SCHEMES:
        value = getattr(organisation, field)
        match = re.fullmatch(form, value or "")
        if match:
            # Northern Ireland's list drops the NIC letters; a subsidiary's suffix stays.
            number = match.group(1) if prefix == "GB-NIC" else value
            return f"{prefix}-{number}"
    return ""
