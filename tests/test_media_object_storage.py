"""Object storage: a hidden photo leaves the public part of the bucket, and comes back.

Runs the production settings' S3 wiring in a fresh process against moto's S3 in memory, so the
storages are the ones `AWS_STORAGE_BUCKET_NAME` really configures."""

import subprocess
import sys

from tests.servers import ROOT

SCRIPT = r"""
import os
from moto import mock_aws

with mock_aws():
    import boto3
    boto3.client("s3", region_name="eu-west-2").create_bucket(
        Bucket="kindness-media", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    import django
    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from core.hidden_files import make_private, make_public

    public, private = storages["default"], storages["private"]
    name = public.save("updates/garden.jpg", ContentFile(b"a photo"))
    keys = lambda: sorted(o.key for o in boto3.resource("s3").Bucket("kindness-media").objects.all())
    print("stored", keys())
    make_private([name])
    print("hidden", keys(), private.exists(name), public.exists(name))
    make_public([name])
    print("shown", keys(), public.exists(name))
"""


def test_a_hidden_photo_leaves_the_public_part_of_the_bucket_and_comes_back():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOCAL_DEVELOPMENT": "0",
        "SECRET_KEY": "object-storage-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": "postgres://unused@127.0.0.1:1/unused",
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "AWS_STORAGE_BUCKET_NAME": "kindness-media",
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "stored ['updates/garden.jpg']"
    assert lines[1] == "hidden ['hidden/updates/garden.jpg'] True False"
    assert lines[2] == "shown ['updates/garden.jpg'] True"
