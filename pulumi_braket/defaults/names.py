"""Default job names: deterministic, from the resource name, under the model's rule."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import Final

from pulumi_braket import shapes
from pulumi_braket.errors import BraketError
from pulumi_braket.wording import Field, at

# The model's shape for CreateJob's jobName; its pattern and max length are read from
# botocore, never copied here. (The SDK's _validate_quantum_job_name in
# quantum_job_creation.py keeps its own copy of the rule; the model is the source of truth.)
JOB_NAME_SHAPE: Final = "CreateJobRequestJobNameString"
# What replaces characters a job name cannot hold, as the SDK's _generate_default_job_name
# (quantum_job_creation.py) turns "_" in function names into "-".
SEPARATOR: Final = "-"
# Hex digits of sha256(resource name) added when a name must be shortened or is empty.
HASH_LENGTH: Final = 8


@functools.cache
def _job_name_rule() -> tuple[re.Pattern[str], int]:
    meta = shapes.service_model().shape_for(JOB_NAME_SHAPE).metadata
    return re.compile(shapes.anchored(meta["pattern"])), int(meta["max"])


def _may_end(char: str) -> bool:
    """Whether ``char`` alone is a valid job name, so may start and end one."""
    pattern, _ = _job_name_rule()
    return pattern.fullmatch(char) is not None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH]


def job_name_from(resource_name: str) -> str:
    """A valid, deterministic job name for a Pulumi resource name.

    Characters the model's pattern cannot start or end a name with become ``-``, runs of
    ``-`` collapse, and ``-`` is trimmed from both ends: ``my_sweep.v2`` is ``my-sweep-v2``
    (accented letters lose their accents first).
    A name longer than the model's maximum keeps its head and ends in ``-`` plus 8 hex
    digits of the resource name's SHA-256, so two long names that share their first 50
    characters still get different names (and so different S3 prefixes, which derive from
    the job name). A name with no usable character at all becomes ``job-<hash>``.
    """
    pattern, max_length = _job_name_rule()
    # Accents are dropped rather than replaced: "Ünïcode" is "Unicode", not "n-code".
    plain = "".join(
        char
        for char in unicodedata.normalize("NFKD", resource_name)
        if not unicodedata.combining(char)
    )
    kept = "".join(char if _may_end(char) else SEPARATOR for char in plain)
    name = re.sub(f"{re.escape(SEPARATOR)}+", SEPARATOR, kept).strip(SEPARATOR)
    if not name:
        name = f"job{SEPARATOR}{_digest(resource_name)}"
    elif len(name) > max_length:
        head = name[: max_length - HASH_LENGTH - len(SEPARATOR)].rstrip(SEPARATOR)
        name = f"{head}{SEPARATOR}{_digest(resource_name)}"
    if pattern.fullmatch(name) is None or len(name) > max_length:
        # Only if botocore's rule stops admitting letters, digits and "-" in a later model.
        raise BraketError(
            at(
                "job_name",
                f"cannot derive a job name from resource name {resource_name!r} under the "
                f"model's {JOB_NAME_SHAPE} rule; pass ",
                Field("job_name"),
            )
        )
    return name
