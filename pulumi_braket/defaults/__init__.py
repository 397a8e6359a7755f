"""The Braket SDK's hybrid-job defaults, made deterministic so `pulumi preview` can show them."""

# Pure pieces (names, images, locations), the lookups that need the network (identity), the
# preview's bookkeeping, and the fill that puts them together (filler).

from pulumi_braket.defaults.filler import (
    CODE_LOCATION,
    ENTRY_POINT,
    FRAMEWORK,
    IMAGE_DIGEST,
    INPUT_DATA,
    SOURCE,
    DefaultsError,
    entry_module_problem,
    fill_job_defaults,
)
from pulumi_braket.defaults.identity import ROLE_ENV, account_id, resolve_role
from pulumi_braket.defaults.images import ECR_REGISTRY, FRAMEWORKS, IMAGE_REGIONS, image_uri
from pulumi_braket.defaults.locations import (
    CHECKPOINT_LOCAL_PATH,
    COMPRESSION_TYPE,
    INSTANCE_DEFAULTS,
    MAX_RUNTIME_SECONDS,
    SCRIPT_ARCHIVE,
    checkpoint_prefix,
    output_prefix,
    script_key,
)
from pulumi_braket.defaults.names import JOB_NAME_SHAPE, job_name_from

__all__ = [
    "CHECKPOINT_LOCAL_PATH",
    "CODE_LOCATION",
    "COMPRESSION_TYPE",
    "ECR_REGISTRY",
    "ENTRY_POINT",
    "FRAMEWORK",
    "FRAMEWORKS",
    "IMAGE_DIGEST",
    "IMAGE_REGIONS",
    "INPUT_DATA",
    "INSTANCE_DEFAULTS",
    "JOB_NAME_SHAPE",
    "MAX_RUNTIME_SECONDS",
    "ROLE_ENV",
    "SCRIPT_ARCHIVE",
    "SOURCE",
    "DefaultsError",
    "account_id",
    "checkpoint_prefix",
    "entry_module_problem",
    "fill_job_defaults",
    "image_uri",
    "job_name_from",
    "output_prefix",
    "resolve_role",
    "script_key",
]
