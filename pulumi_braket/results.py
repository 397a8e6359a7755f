"""Results read into outputs: a job's saved results.json, a task's measurement counts."""

# Both are bounded (MAX_OUTPUT_BYTES): a stack's state is no place for a large result, which
# stays in S3 at the results_uri / result_uri output.

from __future__ import annotations

import io
import json
import tarfile
from collections import Counter
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from pulumi_braket.source import split_s3_uri

# At most this much JSON of a result goes into the state.
MAX_OUTPUT_BYTES = 64 * 1024
# The archive is downloaded only up to this size to look for results.json in it.
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
# A task's results.json is read up to this size to count its measurements.
MAX_TASK_RESULT_BYTES = 256 * 1024 * 1024
# The Braket SDK's save_job_result writes results.json at the archive's root, as a
# braket.jobs_data.persisted_job_data document (braket/jobs/data_persistence.py).
RESULTS_FILE = "results.json"
PLAINTEXT = "plaintext"


def _get(s3: Any, uri: str, limit: int) -> bytes | None:
    parts = split_s3_uri(uri)
    if parts is None:
        return None
    bucket, key = parts
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
        if int(head.get("ContentLength", 0)) > limit:
            return None
        body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except (ClientError, BotoCoreError):
        return None
    return body


def bounded(value: Any) -> Any:
    """The value if its JSON fits MAX_OUTPUT_BYTES, else None."""
    if value is None:
        return None
    text = json.dumps(value, sort_keys=True)
    return value if len(text.encode()) <= MAX_OUTPUT_BYTES else None


def job_result(s3: Any, results_uri: str) -> Any:
    """The dataDictionary a job saved with save_job_result, when plaintext and small; or None.

    Pickled results (``data_format=PICKLED_V4``) are left in S3: unpickling is running code.
    """
    archive = _get(s3, results_uri, MAX_ARCHIVE_BYTES)
    if archive is None:
        return None
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            member = tar.getmember(RESULTS_FILE)
            if member.size > MAX_OUTPUT_BYTES * 4:
                return None
            handle = tar.extractfile(member)
            document = json.loads(handle.read()) if handle is not None else None
    except (KeyError, tarfile.TarError, OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("dataFormat") != PLAINTEXT:
        return None
    return bounded(document.get("dataDictionary"))


def measurement_counts(document: dict[str, Any]) -> dict[str, int] | None:
    """Counts by bitstring, as the SDK's ``measurement_counts``, from a results.json document."""
    measurements = document.get("measurements")
    if isinstance(measurements, list) and measurements:
        first = measurements[0]
        if isinstance(first, list):
            return dict(Counter("".join(str(bit) for bit in shot) for shot in measurements))
        if isinstance(first, dict):
            # Analog Hamiltonian simulation: each shot's post-sequence (1 = atom found).
            sequences = ("".join(str(bit) for bit in _post_sequence(shot)) for shot in measurements)
            return dict(Counter(sequences))
    probabilities = document.get("measurementProbabilities")
    shots = (document.get("taskMetadata") or {}).get("shots")
    if isinstance(probabilities, dict) and isinstance(shots, int) and shots > 0:
        return {state: round(p * shots) for state, p in probabilities.items()}
    return None


def _post_sequence(shot: dict[str, Any]) -> list[Any]:
    found = (shot.get("shotResult") or {}).get("postSequence")
    return list(found) if isinstance(found, list) else []


def task_counts(s3: Any, result_uri: str) -> dict[str, int] | None:
    body = _get(s3, result_uri, MAX_TASK_RESULT_BYTES)
    if body is None:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    counts = measurement_counts(document)
    return bounded(dict(sorted(counts.items()))) if counts else None
