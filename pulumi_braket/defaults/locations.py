"""Where a job's script, data and checkpoints go, and the SDK's instance and runtime defaults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from pulumi_braket import shapes
from pulumi_braket.defaults.names import JOB_NAME_SHAPE
from pulumi_braket.errors import BraketError
from pulumi_braket.wording import Field

# Our layout, the SDK's (quantum_job_creation.py, prepare_quantum_job:
# jobs/{name}/{timestamp}/script/source.tar.gz, .../{timestamp}/data, .../{timestamp}/checkpoints)
# without the timestamp:
#
#   jobs/{job_name}/script/{content_id}/source.tar.gz   the algorithm script, by content
#   jobs/{job_name}/data                                output_data_config.s3_path
#   jobs/{job_name}/checkpoints                         checkpoint_config.s3_uri
#
# The script is content-addressed: an unchanged script keeps its key (no replacement), a
# changed one gets a new key, so a replaced job never has its predecessor's script
# rewritten underneath it. Data and checkpoints follow the job name: a job that replaces
# another of the same name continues in its prefix (checkpoints carry over, outputs are
# overwritten); give the job another job_name to keep the old outputs apart.
SCRIPT_ARCHIVE: Final = "source.tar.gz"  # prepare_quantum_job: f"{code_location}/source.tar.gz"
_KEY_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")


def job_prefix(job_name: str) -> str:
    problems = shapes.validate_value(JOB_NAME_SHAPE, job_name)
    if problems:
        raise BraketError(
            f"keys: job name {job_name!r} is not valid ({problems[0].rule}), so no S3 key "
            "derives from it; fix ",
            Field("job_name"),
        )
    return f"jobs/{job_name}"


def script_key(job_name: str, content_id: str) -> str:
    """The key of a job's script archive, content-addressed by ``content_id`` (e.g. a hash)."""
    if not _KEY_SEGMENT.fullmatch(content_id) or content_id in (".", ".."):
        raise BraketError(
            f"keys: content id {content_id!r} must be one path segment of letters, digits, "
            "'.', '_' or '-' (a hash of the archive, say)"
        )
    return f"{job_prefix(job_name)}/script/{content_id}/{SCRIPT_ARCHIVE}"


def output_prefix(job_name: str) -> str:
    """The key prefix of a job's results (output_data_config.s3_path)."""
    return f"{job_prefix(job_name)}/data"


def checkpoint_prefix(job_name: str) -> str:
    """The key prefix of a job's checkpoints (checkpoint_config.s3_uri)."""
    return f"{job_prefix(job_name)}/checkpoints"


# -- instance, runtime, script --------------------------------------------------------------

# braket/jobs/config.py, InstanceConfig: instanceType "ml.m5.large", volumeSizeInGb 30,
# instanceCount 1 (prepare_quantum_job sends all three). Snake_case, as Job takes them.
INSTANCE_DEFAULTS: Final[Mapping[str, Any]] = MappingProxyType(
    {"instance_type": "ml.m5.large", "volume_size_in_gb": 30, "instance_count": 1}
)
# braket/jobs/config.py, StoppingCondition.maxRuntimeInSeconds = 5 * 24 * 60 * 60. It is
# also the model's maximum for JobStoppingCondition.maxRuntimeInSeconds (a test checks).
MAX_RUNTIME_SECONDS: Final = 5 * 24 * 60 * 60
# quantum_job_creation.py, prepare_quantum_job: scriptModeConfig.compressionType "GZIP"
# (it uploads the script as source.tar.gz).
COMPRESSION_TYPE: Final = "GZIP"
# braket/jobs/config.py, CheckpointConfig.localPath. The model documents the service's own
# default as /opt/braket/checkpoints/, but the SDK always sends this path, so jobs written
# for the SDK find their checkpoints here.
CHECKPOINT_LOCAL_PATH: Final = "/opt/jobs/checkpoints"
