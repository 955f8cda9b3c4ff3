from django import forms

from .text import clean_text


def bound_data(request):
    """(data, files) for a form: bound on POST even when nothing was ticked or typed."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


class CleanTextMixin:
    """Every text field of the form cleans its input with `clean_text` before anything else.

    Passwords are left exactly as typed: changing them would lock people out.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                field.to_python = _cleaning(field.to_python)


def _cleaning(to_python):
    return lambda value: to_python(clean_text(value))


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    pass
