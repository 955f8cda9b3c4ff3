from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form

from .models import REPLY_MAX


class ReplyForm(Form):
    reply = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown under the story, with your organisation's name. You can reply once. Do "
            "not name the resident or anyone else."
        ),
        error_messages={
            "required": _("Enter your reply"),
            "max_length": _("Your reply must be %(limit_value)s characters or fewer"),
        },
    )
