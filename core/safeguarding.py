"""The rule that protects children and families, in the one wording that moderators apply,
for every form, hint, page and email that states it. Moderators hide what breaks it."""

from django.utils.translation import gettext_lazy as _

# What no one may publish, in words or pictures.
RULE = _(
    "Never publish anything that could identify a child or a family: no names, no faces, "
    "no addresses, and nothing else that points to them, such as a surname, a street or a "
    "school class."
)
# The same rule, said of a photo: no child's or family's face at all, consent or not.
PHOTO_RULE = _(
    "Photos must not show the face of a child or a family member, or anything else that "
    "could identify them."
)
