"""The shapes of the API's answers: what each item of `/api/v1/` holds, read from the
models without a query per item."""

from datetime import date, datetime
from operator import attrgetter

from ninja import Field, Schema

from core.siteurl import absolute_url, site_url
from organisations.identifiers import org_id
from places.addresses import place_path, place_slug


def _place_of(path: str):
    """A resolver for the short name of the place whose id is at `path` ("pledge.place_id"):
    every item says which place it belongs to, without a query per item."""
    getter = attrgetter(path)

    def resolve(obj):
        return place_slug(getter(obj))

    return staticmethod(resolve)


def _attribute(path: str):
    """A resolver for a field read from a dotted path ("organisation.slug"). django-ninja's
    own dotted aliases try the whole path as one attribute, catch the AttributeError and parse
    it with Django's template Variable, for every field of every item: a third of a list's
    time."""
    getter = attrgetter(path)

    def resolve(obj):
        return getter(obj)

    return staticmethod(resolve)


class PriorityOut(Schema):
    number: int
    slug: str
    title: str
    description: str
    agreement_version: int
    resolve_agreement_version = _attribute("agreement.version")
    commitment_count: int | None = None


class PledgeCommitmentOut(Schema):
    priority_number: int
    resolve_priority_number = _attribute("priority.number")
    priority_title: str
    resolve_priority_title = _attribute("priority.title")
    body: str
    progress: str


class CommitmentOut(PledgeCommitmentOut):
    id: int
    place: str
    resolve_place = _place_of("pledge.place_id")
    pledge_id: int
    organisation_slug: str
    resolve_organisation_slug = _attribute("pledge.organisation.slug")
    updated_at: datetime


class PledgeOut(Schema):
    id: int
    place: str
    resolve_place = _place_of("place_id")
    organisation_slug: str
    resolve_organisation_slug = _attribute("organisation.slug")
    organisation_name: str
    resolve_organisation_name = _attribute("organisation.name")
    agreement_version: int
    resolve_agreement_version = _attribute("agreement.version")
    status: str
    signed_on: date
    withdrawn_on: date | None
    statement: str
    signatory_name: str | None
    signatory_role: str | None
    commitments: list[PledgeCommitmentOut]

    @staticmethod
    def resolve_signed_on(obj):
        return obj.published_at.date()

    @staticmethod
    def resolve_withdrawn_on(obj):
        return obj.withdrawn_at.date() if obj.withdrawn_at else None

    @staticmethod
    def resolve_signatory_name(obj):
        signatory = obj.public_signatory
        return signatory.name if signatory else None

    @staticmethod
    def resolve_signatory_role(obj):
        signatory = obj.public_signatory
        return signatory.role if signatory else None

    @staticmethod
    def resolve_commitments(obj):
        return list(obj.commitments.all())


class OrganisationOut(Schema):
    """An organisation with its public pledge in one place (the object given is the pledge),
    and its page in that place."""

    id: int
    resolve_id = _attribute("organisation.pk")
    org_id: str
    place: str
    resolve_place = _place_of("place_id")
    slug: str
    resolve_slug = _attribute("organisation.slug")
    name: str
    resolve_name = _attribute("organisation.name")
    type: str
    resolve_type = _attribute("organisation.type")
    area: str
    resolve_area = _attribute("area.slug")
    website: str
    resolve_website = _attribute("organisation.website")
    charity_number: str
    resolve_charity_number = _attribute("organisation.charity_number")
    company_number: str
    resolve_company_number = _attribute("organisation.company_number")
    school_urn: str
    resolve_school_urn = _attribute("organisation.school_urn")
    url: str
    pledge: PledgeOut

    @staticmethod
    def resolve_org_id(obj):
        return org_id(obj.organisation)

    @staticmethod
    def resolve_url(obj):
        return site_url() + obj.get_absolute_url()  # the organisation's page in the place

    @staticmethod
    def resolve_pledge(obj):
        return obj


class OrganisationDetailOut(OrganisationOut):
    """One organisation: its pledge in the place asked for (or where it first signed), and
    its public pledge in every place it signed in."""

    pledges: list[PledgeOut]

    @staticmethod
    def resolve_pledges(obj):
        return obj.every_place


class UpdateOut(Schema):
    id: int
    place: str
    resolve_place = _place_of("pledge.place_id")
    organisation_slug: str
    resolve_organisation_slug = _attribute("pledge.organisation.slug")
    organisation_name: str
    resolve_organisation_name = _attribute("pledge.organisation.name")
    title: str
    body: str
    priority_numbers: list[int]
    published_at: datetime
    image_url: str | None
    image_alt: str
    url: str

    @staticmethod
    def resolve_priority_numbers(obj):
        return sorted(priority.number for priority in obj.priorities.all())

    @staticmethod
    def resolve_image_url(obj):
        return absolute_url(obj.image.url) if obj.image else None

    @staticmethod
    def resolve_url(obj):
        return site_url() + obj.get_absolute_url()


class StoryOut(Schema):
    """A resident's published story. The resident's address is not a field: it never leaves
    the database."""

    id: int
    place: str
    resolve_place = _place_of("place_id")
    organisation_slug: str | None
    organisation_name: str | None
    area: str | None
    resolve_area = staticmethod(lambda obj: obj.area.slug if obj.area else None)
    priority_slug: str | None
    story: str = Field(alias="body")
    shown_name: str = Field(alias="byline")
    published_at: datetime
    reply: str | None
    url: str

    @staticmethod
    def resolve_organisation_slug(obj):
        return obj.organisation.slug if obj.organisation else None

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name if obj.organisation else None

    @staticmethod
    def resolve_priority_slug(obj):
        return obj.priority.slug if obj.priority else None

    @staticmethod
    def resolve_reply(obj):
        return obj.reply if obj.reply_is_public else None

    @staticmethod
    def resolve_url(obj):
        return site_url() + obj.get_absolute_url()


class PlaceOut(Schema):
    """A place on the registry: its short name (the `place` of every other item), name,
    local authority code and home page."""

    slug: str
    name: str
    local_authority_code: str = Field(alias="gss_code")
    url: str

    @staticmethod
    def resolve_url(obj):
        return site_url() + place_path(obj.pk, "/")


class ErrorOut(Schema):
    detail: str | list[dict]


class CountOut(Schema):
    label: str
    count: int


class StatisticsOut(Schema):
    organisations_signed: int
    updates_last_12_months: int
    commitments_per_priority: list[CountOut]
    organisations_by_type: list[CountOut]
