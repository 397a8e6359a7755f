"""ECR answers for Braket's job images, whose tags name the Python a local job really runs on.

The Braket SDK's ``@hybrid_job`` checks, when the decorator is applied, that the local
Python matches the job image's: ``AwsSession.get_full_image_tag`` calls ``BatchGetImage`` on
the image's ``latest`` tag for its digest, then on the digest for a tag like
``1.0-cpu-py312-ubuntu24.04`` (braket/aws/aws_session.py). Locally a job runs on this
service's interpreter, so the tag names that interpreter's version: the check is honest.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

BATCH_GET_IMAGE = "AmazonEC2ContainerRegistry_V20150921.BatchGetImage"
MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json"


def braket_repositories(region: str) -> set[tuple[str, str]]:
    """(registry, repository) of every Braket job image in a region, as the SDK lists them."""
    from braket.jobs.image_uris import built_in_images

    found = set()
    for uri in built_in_images(region):
        registry = uri.split(".", 1)[0]
        repository = uri.rsplit("/", 1)[1].split(":", 1)[0]
        found.add((registry, repository))
    return found


def full_tag() -> str:
    """The tag of the local job image: version, device, the service's Python, the OS."""
    major, minor = sys.version_info[:2]
    return f"1.0-cpu-py{major}{minor}-local"


def _digest(repository: str) -> str:
    return (
        "sha256:"
        + hashlib.sha256(f"pulumi-braket-local/{repository}/{full_tag()}".encode()).hexdigest()
    )


def batch_get_image(region: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The BatchGetImage answer for a Braket job image, or None for any other repository."""
    registry, repository = str(body.get("registryId", "")), str(body.get("repositoryName", ""))
    try:
        known = (registry, repository) in braket_repositories(region)
    except ValueError:  # a region without Braket job images
        return None
    if not known:
        return None
    digest = _digest(repository)
    tags = ("latest", full_tag())
    manifest = json.dumps({"schemaVersion": 2, "mediaType": MANIFEST_TYPE, "layers": []})
    images: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for wanted in body.get("imageIds") or []:
        tag, by_digest = wanted.get("imageTag"), wanted.get("imageDigest")
        if tag in tags or (tag is None and by_digest == digest):
            # By digest: every tag of the image, as ECR lists them.
            for name in (tag,) if tag else tags:
                images.append(
                    {
                        "registryId": registry,
                        "repositoryName": repository,
                        "imageId": {"imageDigest": digest, "imageTag": name},
                        "imageManifest": manifest,
                        "imageManifestMediaType": MANIFEST_TYPE,
                    }
                )
        else:
            failures.append(
                {
                    "imageId": wanted,
                    "failureCode": "ImageNotFound",
                    "failureReason": "Requested image not found",
                }
            )
    return {"images": images, "failures": failures}
