"""Where uploads live: the settings' storages_, from the environment.

Local files by default. On S3-compatible object storage (django-storages) when a bucket is
named, so that several instances share them. Credentials come from boto3's own variables
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). Images are public: plain, stable URLs.
"""


def storages(environ, *, local: bool) -> tuple[dict, str, str]:
    """(storages_, the media bucket or "", the origin images come from when it is not this
    site, for the CSP, or "")."""
    storages_ = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.hidden_files.PrivateFileStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            if local
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    origin = ""
    if bucket:
        endpoint = environ.get("AWS_S3_ENDPOINT_URL", "")
        domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "")
        storages_["default"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint or None,
                "region_name": environ.get("AWS_S3_REGION_NAME") or None,
                "custom_domain": domain or None,
                "querystring_auth": False,
                "file_overwrite": False,
            },
        }
        # Hidden photos: a private bucket, or the `hidden/` prefix of this one, which the bucket's
        # policy must leave unreadable (public read on `updates/*` and `logos/*` only).
        private_bucket = environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME", "")
        storages_["private"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **storages_["default"]["OPTIONS"],
                "bucket_name": private_bucket or bucket,
                "location": "" if private_bucket else "hidden",
                "custom_domain": None,
                "default_acl": "private",
                "querystring_auth": True,
            },
        }
        if domain:
            origin = f"https://{domain}"
        elif endpoint:
            origin = endpoint.rstrip("/")
        else:
            origin = f"https://{bucket}.s3.amazonaws.com"
    return storages_, bucket, origin
