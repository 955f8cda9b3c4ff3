"""Every write to agreements, pledges, commitments, progress updates and concerns.

One module per subject (agreements, lifecycle, progress, concerns); import
them from here.

Each service checks its actor against `organisations.permissions`, checks the current state
under a row lock, records who acted in a `PledgeEvent`, and sends email only after the
transaction commits. A service that does not lock or record says why in its docstring.
"""

from ._common import AgreementError, AlreadySubmittedError, PledgeStateError, StaleEditError
from .agreements import agreement_make_current, agreement_save_draft
from .concerns import (
    AUTO_HIDDEN_REASON,
    concern_decide,
    concern_dismiss,
    concern_report,
    concern_uphold,
)
from .lifecycle import (
    pledge_confirm_accurate,
    pledge_erase_signatory,
    pledge_hide_signatory,
    pledge_publish,
    pledge_reinstate,
    pledge_return,
    pledge_save_priorities,
    pledge_save_signatory,
    pledge_save_statement,
    pledge_start,
    pledge_submit,
    pledge_suspend,
    pledge_withdraw,
)
from .progress import (
    commitment_update,
    pledge_change_area,
    progress_update_edit,
    progress_update_hide,
    progress_update_publish,
    progress_update_remove,
    progress_update_restore,
    progress_update_store_sizes,
)

__all__ = [
    "AUTO_HIDDEN_REASON",
    "AgreementError",
    "AlreadySubmittedError",
    "PledgeStateError",
    "StaleEditError",
    "agreement_make_current",
    "agreement_save_draft",
    "commitment_update",
    "concern_decide",
    "concern_dismiss",
    "concern_report",
    "concern_uphold",
    "pledge_change_area",
    "pledge_confirm_accurate",
    "pledge_erase_signatory",
    "pledge_hide_signatory",
    "pledge_publish",
    "pledge_reinstate",
    "pledge_return",
    "pledge_save_priorities",
    "pledge_save_signatory",
    "pledge_save_statement",
    "pledge_start",
    "pledge_submit",
    "pledge_suspend",
    "pledge_withdraw",
    "progress_update_edit",
    "progress_update_hide",
    "progress_update_remove",
    "progress_update_publish",
    "progress_update_restore",
    "progress_update_store_sizes",
]
