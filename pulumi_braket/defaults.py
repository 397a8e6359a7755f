"""The Braket SDK's hybrid-job defaults, made deterministic so `pulumi preview` can show them."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError
from pulumi.output import UNKNOWN

from pulumi_braket import shapes
from pulumi_braket.client import client, region_of
from pulumi_braket.declarations import DEFAULTED, LOOKED_UP
from pulumi_braket.errors import BraketError
from pulumi_braket.provider import is_unknown
from pulumi_braket.settings import ProviderSettings
from pulumi_braket.source import (
    Packed,
    content_key,
    default_bucket,
    pack,
    s3_uri,
    split_s3_uri,
)

# Why nothing here carries a timestamp, unlike the SDK (braket/jobs/quantum_job_creation.py,
# prepare_quantum_job and _generate_default_job_name put `int(time.time() * 1000)` into the
# job name and every S3 key): a Job's check() runs on every preview and every up, and every
# create_job member is create-only. A default that changes from one run to the next would
# show as a new value each time and replace the job on every `pulumi preview` / `pulumi up`.
# Every default below is therefore a pure function of the resource name, the user's inputs,
# the region and the account.

# -- job name -------------------------------------------------------------------------------

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
            f"job_name: cannot derive a job name from resource name {resource_name!r} "
            f"under the model's {JOB_NAME_SHAPE} rule; pass job_name"
        )
    return name


# -- container images -----------------------------------------------------------------------

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


def _framework(framework: str) -> str:
    key = str(framework).strip().lower()
    key = _SDK_FRAMEWORK_NAMES.get(key, key)
    if key not in FRAMEWORKS:
        raise BraketError(
            f"image: unknown framework {framework!r}; the Braket images are {', '.join(FRAMEWORKS)}"
        )
    return key


def _pinned(digest: str) -> str:
    """``sha256:<64 hex>`` from a digest given with or without its ``sha256:`` prefix."""
    matched = _DIGEST.fullmatch(digest.strip())
    if matched is None:
        raise BraketError(
            f"image_digest: {digest!r} is not an image digest; expected sha256: and 64 "
            "lowercase hex digits, as `aws ecr describe-images` reports imageDigest"
        )
    return f"sha256:{matched.group(1)}"


def image_uri(region: str, framework: str = "base", digest: str | None = None) -> str:
    """The ECR URI of a Braket pre-built job image: ``:latest``, or pinned ``@sha256:<digest>``.

    ``digest`` is the image's SHA-256 as 64 lowercase hex digits, with or without the
    ``sha256:`` prefix. A pinned image keeps a job's container fixed when Braket publishes
    a new ``latest``.
    """
    repository = FRAMEWORKS[_framework(framework)]
    if region not in IMAGE_REGIONS:
        raise BraketError(
            f"image: the Braket {_framework(framework)} image is not published in {region!r}; "
            f"supported regions: {', '.join(IMAGE_REGIONS)}; set container_image to your own "
            "image in that region"
        )
    reference = f"{repository}:latest" if digest is None else f"{repository}@{_pinned(digest)}"
    uri = f"{ECR_REGISTRY}.dkr.ecr.{region}.amazonaws.com/{reference}"
    problems = shapes.validate_value(IMAGE_URI_SHAPE, uri)
    if problems:
        raise BraketError(f"image: {uri} breaks the model's {IMAGE_URI_SHAPE} rule: {problems[0]}")
    return uri


# -- S3 locations ---------------------------------------------------------------------------

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


def _job_prefix(job_name: str) -> str:
    problems = shapes.validate_value(JOB_NAME_SHAPE, job_name)
    if problems:
        raise BraketError(
            f"keys: job name {job_name!r} is not valid ({problems[0].rule}), so no S3 key "
            "derives from it; fix job_name"
        )
    return f"jobs/{job_name}"


def script_key(job_name: str, content_id: str) -> str:
    """The key of a job's script archive, content-addressed by ``content_id`` (e.g. a hash)."""
    if not _KEY_SEGMENT.fullmatch(content_id) or content_id in (".", ".."):
        raise BraketError(
            f"keys: content id {content_id!r} must be one path segment of letters, digits, "
            "'.', '_' or '-' (a hash of the archive, say)"
        )
    return f"{_job_prefix(job_name)}/script/{content_id}/{SCRIPT_ARCHIVE}"


def output_prefix(job_name: str) -> str:
    """The key prefix of a job's results (output_data_config.s3_path)."""
    return f"{_job_prefix(job_name)}/data"


def checkpoint_prefix(job_name: str) -> str:
    """The key prefix of a job's checkpoints (checkpoint_config.s3_uri)."""
    return f"{_job_prefix(job_name)}/checkpoints"


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

# -- account --------------------------------------------------------------------------------

_accounts_lock = threading.Lock()
_accounts: dict[ProviderSettings, str] = {}


def _cause(error: Exception) -> str:
    if isinstance(error, ClientError):
        detail = error.response.get("Error", {})
        return f"{detail.get('Code', 'Unknown')}: {detail.get('Message', str(error))}"
    if isinstance(error, NoCredentialsError):
        return (
            "no AWS credentials found; set AWS_PROFILE, aws:profile or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(error, NoRegionError):
        return "no region; set braket:region or aws:region in stack config, or AWS_REGION"
    return str(error)


def account_id(settings: ProviderSettings) -> str:
    """The caller's account from STS GetCallerIdentity, once per settings and process.

    As AwsSession.account_id (braket/aws/aws_session.py) asks STS and keeps the answer.
    """
    found = _accounts.get(settings)
    if found is not None:
        return found
    try:
        answer = client(settings, "sts").get_caller_identity()
    except (ClientError, BotoCoreError) as error:
        raise BraketError(f"account: STS GetCallerIdentity failed: {_cause(error)}") from None
    account = str(answer["Account"])
    with _accounts_lock:
        _accounts[settings] = account
    return account


# -- role -----------------------------------------------------------------------------------

# quantum_job_creation.py, prepare_quantum_job: the role argument, else this variable, else
# AwsSession.get_default_jobs_role (aws_session.py): the first role listed by IAM ListRoles
# under PathPrefix "/service-role/" whose RoleName starts with the prefix below, as the
# Braket console creates it. Two differences, both deliberate: the SDK evaluates the IAM
# lookup even when the variable is set (os.getenv's default argument) and we only look up
# what is missing; and an empty variable counts as unset here rather than as role "".
ROLE_ENV: Final = "BRAKET_JOBS_ROLE_ARN"
ROLE_PATH_PREFIX: Final = "/service-role/"
ROLE_NAME_PREFIX: Final = "AmazonBraketJobsExecutionRole"
ROLE_SHAPE: Final = "RoleArn"


def _resolve_role(
    explicit: str | None, settings: ProviderSettings, environ: Mapping[str, str]
) -> tuple[str, str]:
    """The role ARN and where it came from."""
    if explicit:
        return explicit, "the role argument"
    from_env = environ.get(ROLE_ENV, "")
    if from_env:
        problems = shapes.validate_value(ROLE_SHAPE, from_env)
        if problems:
            raise BraketError(
                f"role: {ROLE_ENV} is {from_env!r}, not an IAM role ARN "
                f"({problems[0].rule}); fix it, unset it, or pass role_arn"
            )
        return from_env, f"from {ROLE_ENV}"
    head = f"role: no role argument, {ROLE_ENV} unset, and"
    try:
        pages = client(settings, "iam").get_paginator("list_roles")
        for page in pages.paginate(PathPrefix=ROLE_PATH_PREFIX):
            for role in page.get("Roles", []):
                if str(role["RoleName"]).startswith(ROLE_NAME_PREFIX):
                    return (
                        str(role["Arn"]),
                        f"IAM lookup: first role {ROLE_NAME_PREFIX}* under {ROLE_PATH_PREFIX}",
                    )
    except (ClientError, BotoCoreError) as error:
        raise BraketError(
            f"{head} IAM ListRoles under {ROLE_PATH_PREFIX} failed: {_cause(error)}; "
            "pass role_arn, set BRAKET_JOBS_ROLE_ARN, or allow iam:ListRoles"
        ) from None
    try:
        where = f"account {account_id(settings)}"
    except BraketError:
        where = "this account"
    raise BraketError(
        f"{head} IAM has no role named {ROLE_NAME_PREFIX}* under {ROLE_PATH_PREFIX} in "
        f"{where}; create it in the Braket console or pass role_arn"
    )


def resolve_role(
    explicit: str | None,
    settings: ProviderSettings,
    environ: Mapping[str, str] = os.environ,
) -> str:
    """The job's execution role: the argument, else $BRAKET_JOBS_ROLE_ARN, else an IAM lookup.

    Only the lookups needed are made: an argument or the variable never reach IAM.
    """
    return _resolve_role(explicit, settings, environ)[0]


# -- filling a Job's inputs -----------------------------------------------------------------

# Extra Job inputs this module reads: which pre-built image and which digest of it. They
# are not create_job members; a Job must keep them out of its request.
FRAMEWORK: Final = "framework"
IMAGE_DIGEST: Final = "image_digest"
# The Braket SDK's AwsQuantumJob.create arguments, as Job inputs: a local source module and
# its entry point (`module:function`), where to put the code (`code_location`, an S3 prefix),
# and input channels as S3 URIs or local paths (`input_data`).
SOURCE: Final = "source"
ENTRY_POINT: Final = "entry_point"
CODE_LOCATION: Final = "code_location"
INPUT_DATA: Final = "input_data"
# Set in the returned inputs (named in declarations): DEFAULTED, the dotted paths this module
# filled. Passed back as ``previous`` on the next check, it tells a looked-up role_arn from
# one the user set, and a default chosen at creation from a member the resource never had
# (see _Filler.allowed). LOOKED_UP, the region and account the defaults were computed for,
# so a later check in the same region derives the same values without asking STS again.


def entry_module_problem(packed: Packed, entry_point: str) -> str | None:
    """Why ``entry_point`` names no module of the packed source, or None.

    The SDK's _validate_entry_point (quantum_job_creation.py) imports it with
    importlib.util.find_spec on the source's parent directory, relative to the source's
    stem; the same lookup here reads the archive's member names instead of importing.
    """
    importable = entry_point.partition(":")[0]
    stem = packed.default_entry_point
    if importable.startswith("."):
        importable = stem + importable
    parts = [part for part in importable.split(".") if part]
    if not parts:
        return f"entry point {entry_point!r} names no module"
    base = "/".join(parts)
    names = set(packed.files)
    if {f"{base}.py", f"{base}/__init__.py", base} & names:
        return None
    return (
        f"module {'.'.join(parts)} is not in the source {packed.top_level} (looked for "
        f"{base}.py or {base}/__init__.py); an entry point is `module.path:function` from "
        f"the source's parent directory, e.g. {stem}.<file>:main"
    )


class DefaultsError(BraketError):
    """Some defaults could not be filled; each problem names the input and the failed lookup."""

    def __init__(
        self,
        resource_name: str,
        problems: list[tuple[str, str]],
        inputs: dict[str, Any],
        notes: list[str],
    ) -> None:
        reasons = list(dict.fromkeys(reason for _, reason in problems))
        super().__init__(f"fill defaults of Braket Job ({resource_name}): {'; '.join(reasons)}")
        self.problems = problems
        self.inputs = inputs
        self.notes = notes


DefaultsError.__module__ = "builtins"  # printed as `DefaultsError: ...`, like BraketError


def _missing(value: Any) -> bool:
    return value is None


class _Filler:
    """One fill: the inputs being completed, what was filled, and the lookups made once."""

    def __init__(
        self,
        resource_name: str,
        inputs: Mapping[str, Any],
        settings: ProviderSettings,
        environ: Mapping[str, str],
        previous: Mapping[str, Any] | None,
    ) -> None:
        self.resource_name = resource_name
        self.out: dict[str, Any] = {
            k: v for k, v in inputs.items() if k not in (DEFAULTED, LOOKED_UP)
        }
        self.settings = settings
        self.environ = environ
        self.previous = previous or {}
        self.notes: list[str] = []
        self.filled: list[str] = []
        self.problems: list[tuple[str, str]] = []
        self.packed: dict[str, Packed] = {}
        self._lookups: dict[str, str | BraketError] = {}

    def allowed(self, path: str) -> bool:
        """Whether a default may fill ``path``: always for a new resource; for an existing
        one only where it was filled before or the user had set a value since removed.

        Otherwise a default added by a newer pulumi-braket, or any default at all for a job
        created before defaults existed, would change a create-only member of a job that is
        already running, and replace it on the next `pulumi up` for nothing.
        """
        if not self.previous:
            return True
        if path in (self.previous.get(DEFAULTED) or ()):
            return True
        value: Any = self.previous
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value is not None

    def lookup(self, name: str, compute: Callable[[], str]) -> str:
        """``compute()`` once per fill; its failure is raised again for every later caller."""
        if name not in self._lookups:
            try:
                self._lookups[name] = compute()
            except BraketError as error:
                self._lookups[name] = error
        found = self._lookups[name]
        if isinstance(found, BraketError):
            raise found
        return found

    def region(self) -> str:
        def compute() -> str:
            try:
                return region_of(self.settings)
            except BotoCoreError as error:
                raise BraketError(f"region: {_cause(error)}") from None

        return self.lookup("region", compute)

    def account(self) -> str:
        def compute() -> str:
            before = self.previous.get(LOOKED_UP)
            if isinstance(before, Mapping) and before.get("region") == self.region():
                kept = before.get("account")
                if isinstance(kept, str) and kept:
                    return kept  # no STS call on a preview of an unchanged stack
            return account_id(self.settings)

        return self.lookup("account", compute)

    def bucket(self) -> tuple[str, str]:
        """The SDK's default bucket and a note of where it came from."""
        region, account = self.region(), self.account()
        return default_bucket(region, account), f"default bucket of account {account} in {region}"

    def note(self, path: str, shown: str, source: str, *, default: bool = True) -> None:
        """Record a filled path; ``shown`` is the value as the note prints it.

        Values derived from the user's own inputs (``default=False``: source, input_data)
        are derived again on every check, so they are not remembered as defaults.
        """
        self.notes.append(f"{path} = {shown} ({source})")
        if default:
            self.filled.append(path)

    def section(self, member: str) -> dict[str, Any] | None:
        """A copy of a structure input to fill, {} when absent, None when it is not ours."""
        value = self.out.get(member)
        if _missing(value):
            return {}
        if isinstance(value, Mapping):
            return dict(value)
        return None  # unknown during preview, or not a map: the model check reports it

    def fill(self, member: str, key: str, make: Callable[[], tuple[Any, str, str]]) -> None:
        """Set ``member.key`` to what ``make()`` returns (value, shown, source) if left out."""
        found = self.section(member)
        if found is None or not _missing(found.get(key)):
            return
        path = f"{member}.{key}"
        if not self.allowed(path):
            return
        try:
            value, shown, source = make()
        except BraketError as error:
            self.problems.append((path, str(error)))
            return
        found[key] = value
        self.out[member] = found
        self.note(path, shown, source)

    # -- members --------------------------------------------------------------------------

    def job_name(self) -> None:
        if not _missing(self.out.get("job_name")) or not self.allowed("job_name"):
            return
        try:
            name = job_name_from(self.resource_name)
        except BraketError as error:
            self.problems.append(("job_name", str(error)))
            return
        self.out["job_name"] = name
        self.note("job_name", repr(name), "from the resource name")

    def role_arn(self) -> None:
        if not _missing(self.out.get("role_arn")) or not self.allowed("role_arn"):
            return
        kept = self.previous.get("role_arn")
        if "role_arn" in (self.previous.get(DEFAULTED) or ()) and isinstance(kept, str) and kept:
            # A role looked up once stays: a later lookup elsewhere (another machine's
            # BRAKET_JOBS_ROLE_ARN, a second matching IAM role) must not replace the job.
            self.out["role_arn"] = kept
            self.note(
                "role_arn", repr(kept), "kept from the previous deployment; set role_arn to change"
            )
            return
        try:
            arn, source = _resolve_role(None, self.settings, self.environ)
        except BraketError as error:
            self.problems.append(("role_arn", str(error)))
            return
        self.out["role_arn"] = arn
        self.note("role_arn", repr(arn), source)

    def algorithm(self) -> None:
        # Only completed, never created: without a script or an image of the user's, a job
        # has nothing to run, and the model check should say algorithm_specification is
        # required rather than a default image run nothing.
        spec = self.section("algorithm_specification")
        if not spec:
            return
        script = spec.get("script_mode_config")
        compression = "algorithm_specification.script_mode_config.compression_type"
        if (
            isinstance(script, Mapping)
            and _missing(script.get("compression_type"))
            and self.allowed(compression)
        ):
            spec["script_mode_config"] = {**script, "compression_type": COMPRESSION_TYPE}
            self.note(compression, repr(COMPRESSION_TYPE), "Braket SDK default")
        if not self.allowed("algorithm_specification.container_image.uri"):
            self.out["algorithm_specification"] = spec
            return
        image = self.image(spec.get("container_image"))
        if image is not None:
            spec["container_image"] = {"uri": image}
        self.out["algorithm_specification"] = spec

    def image(self, given: Any) -> Any:
        """The default image URI, or None when the user gave one or it cannot be had."""
        framework, digest = self.out.get(FRAMEWORK), self.out.get(IMAGE_DIGEST)
        path = "algorithm_specification.container_image.uri"
        if not _missing(given):
            for extra, value in ((FRAMEWORK, framework), (IMAGE_DIGEST, digest)):
                if not _missing(value):
                    self.problems.append(
                        (
                            extra,
                            f"image: {extra} chooses a Braket image, but "
                            "algorithm_specification.container_image is set; remove one",
                        )
                    )
            return None
        if is_unknown(framework) or is_unknown(digest):
            self.note(path, "<known once framework and image_digest are>", "Braket image")
            return UNKNOWN
        chosen, ok = "base", True
        if not _missing(framework):
            try:
                chosen = _framework(str(framework))
            except BraketError as error:
                self.problems.append((FRAMEWORK, str(error)))
                ok = False
        pin = None
        if not _missing(digest):
            try:
                pin = _pinned(str(digest))
            except BraketError as error:
                self.problems.append((IMAGE_DIGEST, str(error)))
                ok = False
        if not ok:
            return None
        try:
            region = self.region()
            if region not in IMAGE_REGIONS and _missing(framework) and _missing(digest):
                # Braket picks its own image where the SDK lists none; failing here would
                # stop every job in a region the SDK's table has not caught up with.
                return None
            uri = image_uri(region, chosen, pin)
        except BraketError as error:
            self.problems.append((path, str(error)))
            return None
        tag = f"pinned to {pin}" if pin else "latest"
        self.note(path, repr(uri), f"Braket {chosen} image in {region}, {tag}")
        return uri

    def named(self) -> bool:
        """Whether keys can derive from job_name; if not, that problem is reported already."""
        name = self.out.get("job_name")
        if _missing(name):
            return False
        return is_unknown(name) or not shapes.validate_value(JOB_NAME_SHAPE, str(name))

    def location(self, member: str, key: str, prefix: Callable[[str], str]) -> None:
        if not self.named():
            return
        name = self.out.get("job_name")

        def make() -> tuple[Any, str, str]:
            region = self.region()
            account = self.account()
            bucket = default_bucket(region, account)
            source = f"default bucket of account {account} in {region}"
            if is_unknown(name):
                pattern = s3_uri(bucket, prefix("x")).replace("/jobs/x/", "/jobs/{job_name}/")
                return UNKNOWN, f"<{pattern}, once job_name is known>", source
            uri = s3_uri(bucket, prefix(str(name)))
            return uri, repr(uri), source

        self.fill(member, key, make)

    def script(self) -> None:
        """``source`` and ``entry_point`` as the SDK's script mode: packed, stored by content."""
        given: Any = self.out.get(SOURCE)
        entry = self.out.get(ENTRY_POINT)
        if _missing(given):
            if not _missing(entry):
                self.problems.append(
                    (
                        ENTRY_POINT,
                        "entry_point: needs source (a local directory or file); for code in "
                        "S3 set algorithm_specification.script_mode_config instead",
                    )
                )
            return
        spec = self.section("algorithm_specification")
        if spec is None:
            return
        if not _missing(spec.get("script_mode_config")):
            self.problems.append(
                (
                    SOURCE,
                    "source: algorithm_specification.script_mode_config is set too; give "
                    "one of them",
                )
            )
            return
        path = "algorithm_specification.script_mode_config"
        if is_unknown(given) or is_unknown(entry) or is_unknown(self.out.get("job_name")):
            spec["script_mode_config"] = UNKNOWN
            self.out["algorithm_specification"] = spec
            self.note(path, "<known once source is>", "packed from source", default=False)
            return
        try:
            packed = pack(given)
        except BraketError as error:
            self.problems.append((SOURCE, str(error)))
            return
        entry_point = str(entry) if not _missing(entry) else packed.default_entry_point
        problem = entry_module_problem(packed, entry_point)
        if problem:
            self.problems.append((ENTRY_POINT, f"entry_point: {problem}"))
            return
        location = self.out.get(CODE_LOCATION)
        try:
            if not _missing(location):
                parts = split_s3_uri(str(location))
                if parts is None:
                    raise BraketError(
                        f"code_location: {location!r} is not an S3 URI (s3://bucket/prefix)"
                    )
                bucket, prefix = parts
                key, where = content_key(packed, prefix=prefix), "code_location"
            else:
                name = self.out.get("job_name")
                if not self.named():
                    return
                bucket, where = self.bucket()
                key = content_key(packed, str(name))
        except BraketError as error:
            self.problems.append((CODE_LOCATION if not _missing(location) else SOURCE, str(error)))
            return
        uri = s3_uri(bucket, key)
        spec["script_mode_config"] = {
            "entry_point": entry_point,
            "s3_uri": uri,
            "compression_type": COMPRESSION_TYPE,
        }
        self.out["algorithm_specification"] = spec
        self.packed[SOURCE] = packed
        shown = f"{{entry_point: {entry_point!r}, s3_uri: {uri!r}, compression_type: 'GZIP'}}"
        self.note(
            path,
            shown,
            f"source {given} packed: {len(packed.files)} entries, sha256 {packed.sha256[:16]}, "
            f"in the {where}",
            default=False,
        )

    def channels(self) -> None:
        """``input_data``: channel -> S3 URI as is, or a local path stored by content."""
        given = self.out.get(INPUT_DATA)
        if _missing(given):
            return
        if is_unknown(given):
            self.out["input_data_config"] = UNKNOWN
            return
        if not isinstance(given, Mapping):
            self.problems.append(
                (INPUT_DATA, "input_data: a map of channel name to S3 URI or local path")
            )
            return
        if not _missing(self.out.get("input_data_config")):
            self.problems.append(
                (INPUT_DATA, "input_data: input_data_config is set too; give one of them")
            )
            return
        configs: list[Any] = []
        for channel, location in sorted(given.items()):
            path = f"{INPUT_DATA}.{channel}"
            if is_unknown(location) or is_unknown(self.out.get("job_name")):
                uri: Any = UNKNOWN
            elif isinstance(location, str) and location.startswith("s3://"):
                uri = location
            else:
                try:
                    packed = pack(location)
                    bucket, where = self.bucket()
                except BraketError as error:
                    self.problems.append((path, f"{path}: {error}"))
                    continue
                name = self.out.get("job_name")
                if not self.named():
                    return
                prefix = f"{_job_prefix(str(name))}/data/{channel}"
                key = content_key(packed, prefix=prefix).rsplit("/", 1)[0]
                uri = s3_uri(bucket, f"{key}/{packed.top_level}")
                self.packed[path] = packed
                self.note(
                    f"input_data_config[{channel}]",
                    repr(uri),
                    f"{location} stored by content in the {where}",
                    default=False,
                )
            configs.append(
                {"channel_name": channel, "data_source": {"s3_data_source": {"s3_uri": uri}}}
            )
        self.out["input_data_config"] = configs

    def constant(self, member: str, key: str, value: Any, source: str) -> None:
        self.fill(member, key, lambda: (value, repr(value), source))

    def run(self) -> dict[str, Any]:
        self.job_name()
        self.role_arn()
        self.script()
        self.channels()
        self.algorithm()
        self.location("output_data_config", "s3_path", output_prefix)
        self.location("checkpoint_config", "s3_uri", checkpoint_prefix)
        if self.section("checkpoint_config"):
            # Only beside an s3_uri: a lone local path would turn one problem (no job name
            # for the default location) into a second one (s3_uri is required).
            self.constant(
                "checkpoint_config", "local_path", CHECKPOINT_LOCAL_PATH, "Braket SDK default"
            )
        for key, value in INSTANCE_DEFAULTS.items():
            self.constant("instance_config", key, value, "Braket SDK default")
        self.constant(
            "stopping_condition",
            "max_runtime_in_seconds",
            MAX_RUNTIME_SECONDS,
            "Braket SDK default: 5 days",
        )
        self.out[DEFAULTED] = sorted(self.filled)
        looked_up = {name: value for name, value in self._lookups.items() if isinstance(value, str)}
        if "account" in looked_up:
            self.out[LOOKED_UP] = looked_up
        return self.out


def fill_job_defaults(
    resource_name: str,
    inputs: Mapping[str, Any],
    settings: ProviderSettings,
    environ: Mapping[str, str] = os.environ,
    *,
    previous: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Job inputs (snake_case) with every missing SDK default filled, and a note per default.

    Members the user set, including values still unknown during a preview, are left as
    they are and cost no lookup. Filled: job_name, role_arn, the script's compression type
    and the container image (only inside an algorithm_specification the user gave),
    output_data_config.s3_path, checkpoint_config (s3_uri, local_path),
    instance_config (type, volume, count) and stopping_condition. ``framework`` and
    ``image_digest`` choose the default image. The result also holds ``defaulted_inputs``:
    the paths filled; pass the previous check's inputs as ``previous`` so that a looked-up
    role is kept instead of looked up again.

    Raises DefaultsError, carrying every problem as ``(input path, reason)``, the inputs as
    far as they could be filled and the notes, when a lookup fails.
    """
    filler = _Filler(resource_name, inputs, settings, environ, previous)
    filled = filler.run()
    if filler.problems:
        raise DefaultsError(resource_name, filler.problems, filled, filler.notes)
    return filled, filler.notes
