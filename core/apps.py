from django.apps import AppConfig

# Django refuses a whole form when one part's headers pass 1 KB (multipartparser), which a
# photo whose file name is long, in an alphabet of several bytes a letter, does: the person
# lost everything they had typed to a "could not read that address" page. The name is thrown
# away on saving (uploads get a generated name), so a longer one is harmless. 8 KB still
# bounds the headers' parsing, and the whole body stays capped by MAX_REQUEST_BODY_BYTES.
PART_HEADERS_LIMIT = 8 * 1024


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site pages"

    def ready(self):
        from django.http import multipartparser

        multipartparser.MAX_TOTAL_HEADER_SIZE = max(
            multipartparser.MAX_TOTAL_HEADER_SIZE, PART_HEADERS_LIMIT
        )
