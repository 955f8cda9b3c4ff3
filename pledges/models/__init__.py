"""The pledges app's models, one module per subject; import them from here."""

from .agreements import PRIORITY_COUNT, Agreement, Priority
from .events import PledgeEvent
from .moderation import Concern, ConcernRecord, ModeratorDigest, ModeratorVisit, Reminder
from .pledges import RELEVANCE_TIERS, Commitment, Pledge, Signatory, ranked_text_part
from .updates import ProgressUpdate, publishes_in_place, update_image_upload_to

__all__ = [
    "PRIORITY_COUNT",
    "RELEVANCE_TIERS",
    "Agreement",
    "Commitment",
    "Concern",
    "ConcernRecord",
    "ModeratorDigest",
    "ModeratorVisit",
    "Pledge",
    "PledgeEvent",
    "Priority",
    "ProgressUpdate",
    "publishes_in_place",
    "Reminder",
    "Signatory",
    "ranked_text_part",
    "update_image_upload_to",
]
