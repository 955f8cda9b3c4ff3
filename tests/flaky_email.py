"""An email backend whose mail server is down for the first few sends (FAIL_SENDS of them)."""

from django.core.mail.backends.locmem import EmailBackend

FAIL_SENDS = {"left": 0}


class FlakyEmailBackend(EmailBackend):
    def send_messages(self, messages):
        if FAIL_SENDS["left"] > 0:
            FAIL_SENDS["left"] -= 1
            raise ConnectionRefusedError("The mail server is down")
        return super().send_messages(messages)
