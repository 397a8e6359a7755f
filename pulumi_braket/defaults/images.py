"""The Braket SDK's pre-built job images: their ECR URIs, latest or pinned by digest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pulumi_braket import shapes
from pulumi_braket.errors import BraketError
from pulumi_braket.wording import Field, at

# The Braket SDK's pre-built images: braket/jobs/image_uris.py (retrieve_image builds
# `{registry}.dkr.ecr.{region}.amazonaws.com/{repository}:latest`) with the registry,
# repository and supported regions of braket/jobs/image_uri_config/{base,pl_pytorch,
# pl_tensorflow,cudaq}.json. The SDK is not a runtime dependency, so the facts are kept
# here; tests compare them with retrieve_image for every region botocore knows.
ECR_REGISTRY: Final = "292282985366"
# Our short framework names -> repository; the SDK's Framework enum (image_uris.py) calls
# them BASE, PL_PYTORCH, PL_TENSORFLOW and CUDAQ, which are accepted too.
FRAMEWORKS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "base": "amazon-braket-base-jobs",
        "pytorch": "amazon-braket-pytorch-jobs",
        "tensorflow": "amazon-braket-tensorflow-jobs",
        "cudaq": "amazon-braket-cudaq-jobs",
    }
)
_SDK_FRAMEWORK_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {"pl_pytorch": "pytorch", "pl_tensorflow": "tensorflow"}
)
# `supported_regions` of each image_uri_config/*.json (the same five in all four files).
IMAGE_REGIONS: Final[tuple[str, ...]] = (
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "eu-west-2",
    "eu-north-1",
)
# The model's shape for ContainerImage.uri; its pattern admits `repo:tag` and `repo@sha256:x`.
IMAGE_URI_SHAPE: Final = "Uri"
_DIGEST = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


def framework_key(framework: str) -> str:
    key = str(framework).strip().lower()
    key = _SDK_FRAMEWORK_NAMES.get(key, key)
    if key not in FRAMEWORKS:
        raise BraketError(
            f"image: unknown framework {framework!r}; the Braket images are {', '.join(FRAMEWORKS)}"
        )
    return key


def pinned_digest(digest: str) -> str:
    """``sha256:<64 hex>`` from a digest given with or without its ``sha256:`` prefix."""
    matched = _DIGEST.fullmatch(digest.strip())
    if matched is None:
        raise BraketError(
            at(
                "image_digest",
                f"{digest!r} is not an image digest; expected sha256: and 64 lowercase hex "
                "digits, as `aws ecr describe-images` reports imageDigest",
            )
        )
    return f"sha256:{matched.group(1)}"


def image_uri(region: str, framework: str = "base", digest: str | None = None) -> str:
    """The ECR URI of a Braket pre-built job image: ``:latest``, or pinned ``@sha256:<digest>``.

    ``digest`` is the image's SHA-256 as 64 lowercase hex digits, with or without the
    ``sha256:`` prefix. A pinned image keeps a job's container fixed when Braket publishes
    a new ``latest``.
    """
    repository = FRAMEWORKS[framework_key(framework)]
    if region not in IMAGE_REGIONS:
        raise BraketError(
            f"image: the Braket {framework_key(framework)} image is not published in {region!r}; "
            f"supported regions: {', '.join(IMAGE_REGIONS)}; set ",
            Field("container_image"),
            " to your own image in that region",
        )
    reference = (
        f"{repository}:latest" if digest is None else f"{repository}@{pinned_digest(digest)}"
    )
    uri = f"{ECR_REGISTRY}.dkr.ecr.{region}.amazonaws.com/{reference}"
    problems = shapes.validate_value(IMAGE_URI_SHAPE, uri)
    if problems:
        raise BraketError(f"image: {uri} breaks the model's {IMAGE_URI_SHAPE} rule: {problems[0]}")
    return uri
