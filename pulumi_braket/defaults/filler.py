"""Filling a Job's inputs with the Braket SDK's defaults, each one noted for the preview."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Final

from botocore.exceptions import BotoCoreError
from pulumi.output import UNKNOWN

from pulumi_braket import shapes
from pulumi_braket.client import region_of
from pulumi_braket.core import is_unknown
from pulumi_braket.declarations import DEFAULTED, LOOKED_UP
from pulumi_braket.defaults.bookkeeping import Bookkeeping
from pulumi_braket.defaults.identity import account_id, cause, find_role
from pulumi_braket.defaults.images import IMAGE_REGIONS, framework_key, image_uri, pinned_digest
from pulumi_braket.defaults.locations import (
    CHECKPOINT_LOCAL_PATH,
    COMPRESSION_TYPE,
    INSTANCE_DEFAULTS,
    MAX_RUNTIME_SECONDS,
    checkpoint_prefix,
    job_prefix,
    output_prefix,
)
from pulumi_braket.defaults.names import JOB_NAME_SHAPE, job_name_from
from pulumi_braket.errors import BraketError
from pulumi_braket.settings import ProviderSettings
from pulumi_braket.source import (
    Packed,
    content_key,
    default_bucket,
    pack,
    s3_uri,
    split_s3_uri,
)
from pulumi_braket.wording import Field, Words, at, joined

# Why nothing here carries a timestamp, unlike the SDK (braket/jobs/quantum_job_creation.py,
# prepare_quantum_job and _generate_default_job_name put `int(time.time() * 1000)` into the
# job name and every S3 key): a Job's check() runs on every preview and every up, and every
# create_job member is create-only. A default that changes from one run to the next would
# show as a new value each time and replace the job on every `pulumi preview` / `pulumi up`.
# Every default below is therefore a pure function of the resource name, the user's inputs,
# the region and the account.

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
        reasons = joined(dict.fromkeys(reason for _, reason in problems), "; ")
        super().__init__(f"fill defaults of Braket Job ({resource_name}): ", reasons)
        self.problems = problems
        self.inputs = inputs
        self.notes = notes


DefaultsError.__module__ = "builtins"  # printed as `DefaultsError: ...`, like BraketError


def _missing(value: Any) -> bool:
    return value is None


class _Filler(Bookkeeping):
    """One fill: the inputs being completed, with the preview's bookkeeping (Bookkeeping)."""

    def __init__(
        self,
        resource_name: str,
        inputs: Mapping[str, Any],
        settings: ProviderSettings,
        environ: Mapping[str, str],
        previous: Mapping[str, Any] | None,
    ) -> None:
        super().__init__(previous)
        self.resource_name = resource_name
        self.out: dict[str, Any] = {
            k: v for k, v in inputs.items() if k not in (DEFAULTED, LOOKED_UP)
        }
        self.settings = settings
        self.environ = environ
        self.problems: list[tuple[str, str]] = []
        self.packed: dict[str, Packed] = {}

    def region(self) -> str:
        def compute() -> str:
            try:
                return region_of(self.settings)
            except BotoCoreError as error:
                raise BraketError(f"region: {cause(error)}") from None

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
            self.problems.append((path, Words(error)))
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
            self.problems.append(("job_name", Words(error)))
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
            arn, source = find_role(None, self.settings, self.environ)
        except BraketError as error:
            self.problems.append(("role_arn", Words(error)))
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
                            Words(
                                "image: ",
                                Field(extra),
                                " chooses a Braket image, but ",
                                Field("algorithm_specification.container_image"),
                                " is set; remove one",
                            ),
                        )
                    )
            return None
        if is_unknown(framework) or is_unknown(digest):
            self.note(path, "<known once framework and image_digest are>", "Braket image")
            return UNKNOWN
        chosen, ok = "base", True
        if not _missing(framework):
            try:
                chosen = framework_key(str(framework))
            except BraketError as error:
                self.problems.append((FRAMEWORK, Words(error)))
                ok = False
        pin = None
        if not _missing(digest):
            try:
                pin = pinned_digest(str(digest))
            except BraketError as error:
                self.problems.append((IMAGE_DIGEST, Words(error)))
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
            self.problems.append((path, Words(error)))
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
                        at(
                            ENTRY_POINT,
                            "needs ",
                            Field(SOURCE),
                            " (a local directory or file); for code in S3 set ",
                            Field("algorithm_specification.script_mode_config"),
                            " instead",
                        ),
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
                    at(
                        SOURCE,
                        Field("algorithm_specification.script_mode_config"),
                        " is set too; give one of them",
                    ),
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
            self.problems.append((SOURCE, Words(error)))
            return
        entry_point = str(entry) if not _missing(entry) else packed.default_entry_point
        problem = entry_module_problem(packed, entry_point)
        if problem:
            self.problems.append((ENTRY_POINT, at(ENTRY_POINT, problem)))
            return
        location = self.out.get(CODE_LOCATION)
        try:
            if not _missing(location):
                parts = split_s3_uri(str(location))
                if parts is None:
                    raise BraketError(
                        at(CODE_LOCATION, f"{location!r} is not an S3 URI (s3://bucket/prefix)")
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
            self.problems.append(
                (CODE_LOCATION if not _missing(location) else SOURCE, Words(error))
            )
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
                (INPUT_DATA, at(INPUT_DATA, "a map of channel name to S3 URI or local path"))
            )
            return
        if not _missing(self.out.get("input_data_config")):
            self.problems.append(
                (
                    INPUT_DATA,
                    at(INPUT_DATA, Field("input_data_config"), " is set too; give one of them"),
                )
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
                    self.problems.append((path, at(path, error)))
                    continue
                name = self.out.get("job_name")
                if not self.named():
                    return
                prefix = f"{job_prefix(str(name))}/data/{channel}"
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
        looked_up = self.lookups_made()
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
