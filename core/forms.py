from django import forms

from .text import clean_text


def bound_data(request):
    """(data, files) for a form: bound on POST even when nothing was ticked or typed."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


class CleanTextMixin:
    """Every text field of the form cleans its input with `clean_text` before anything else.

    Fields are wrapped when the form is cleaned, so that fields a form adds in its own
    __init__ are covered too. Passwords are left exactly as typed: changing them would lock
    people out.
    """

    def full_clean(self):
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and not getattr(field, "cleans_text", False)
            ):
                field.to_python = _cleaning(field.to_python)
                field.cleans_text = True
        super().full_clean()


def _cleaning(to_python):
    return lambda value: to_python(clean_text(value))


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    pass


class FileUploadInput(forms.FileInput):
    """A file input in GOV.UK Frontend's drop zone: with JavaScript it becomes the styled
    "Choose file" button and drop area (the govuk-file-upload module, started by initAll);
    without, it stays the browser's own input, which works."""

    template_name = "core/widgets/file_upload.html"

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/png,image/jpeg,image/webp,image/gif", **(attrs or {})})
