"""One way to write a date, and one for a moment, everywhere the site and the admin show one:
"7 December 2026" and "7 December 2026, 14:05" (Django's own en-GB formats wrote a moment
as "7 Dec 2026, 2:05 p.m." in the admin). What people type is read as Django reads it."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
