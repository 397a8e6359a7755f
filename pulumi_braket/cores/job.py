"""The Job core: a Braket hybrid job, created once, tagged in place, cancelled on delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from botocore.exceptions import BotoCoreError, ClientError

from pulumi_braket import cost, shapes, source
from pulumi_braket.client import client, region_of
from pulumi_braket.context import INFO, WARNING
from pulumi_braket.core import check_shape, is_unknown, normalized, string_map
from pulumi_braket.declarations import (
    ADOPT,
    DEFAULTED,
    JOB,
    LOOKED_UP,
    SCOPE,
    TAGS_ALL,
    URN,
)
from pulumi_braket.defaults import (
    INPUT_DATA,
    SOURCE,
    DefaultsError,
    fill_job_defaults,
)
from pulumi_braket.devices import device_arn_problem, find_device, region_of_arn
from pulumi_braket.errors import BraketError, describe
from pulumi_braket.lifecycle import Run, RunCore, computed_members, same_request
from pulumi_braket.outcomes import CheckFailure, CheckResult, CreateResult
from pulumi_braket.results import job_result
from pulumi_braket.wording import Field, Words, at, joined, listed

KIND = "Job"
REQUEST = "CreateJobRequest"
RESPONSE = "GetJobResponse"

# Every create_job member but the client token, as the model names them, in snake_case.
INPUTS: tuple[str, ...] = JOB.request_members
# What get_job reports beyond the request: status, times, failure reason, ... but events:
# they grow with every status change (500 B per job once it runs), they are history rather
# than configuration, and every refresh would show them as changed. `aws braket get-job`
# has them, and wait_for_completion shows them under the resource as they happen.
COMPUTED = tuple(m for m in computed_members(RESPONSE, INPUTS, "jobArn") if m != "events")
# ADOPT is the ARN of an existing job to take under management instead of creating one. This
# is the adopt path: `ResourceOptions(import_=...)` fails for every Python dynamic resource in
# the engine's Read before our code runs (pulumi/pulumi#16175: KeyError '__provider').
# A device ARN or short name (sv1, ionq/forte-1), resolved into device_config at check.
DEVICE = "device"
# Where a COMPLETED job's results are: the SDK's AwsQuantumJob.download_result reads
# f"{outputDataConfig.s3Path}/output/model.tar.gz" (braket/aws/aws_quantum_job.py).
RESULTS = "results_uri"
RESULTS_KEY = "output/model.tar.gz"
# The job's saved results (save_job_result), read from RESULTS when plaintext and small.
RESULT = "result"
# Job inputs beyond the create_job members, kept in state (declarations); none of them is
# sent, and none forces a replacement: what they mean reaches the request members derived
# from them.
JOB_EXTRAS: tuple[str, ...] = JOB.extras
# Members a check has that the create_job request does not: never held to the request shape.
NOT_SENT: tuple[str, ...] = (TAGS_ALL, RESULTS, RESULT, *JOB_EXTRAS)
# What JobArgs holds beyond the request: adopt_arn is a keyword of the resource instead.
USER_EXTRAS: tuple[str, ...] = tuple(e.name for e in JOB.inputs if e.name != ADOPT)
# How long `wait_for_completion=True` waits at most beyond the job's own maximum runtime
# (stopping_condition), for the time it spends QUEUED.
QUEUE_ALLOWANCE_SECONDS = 3600.0
# Values Braket fills in when the request leaves them out (the model documents
# instanceCount's default as 1); an old value equal to these is not drift.
SERVICE_DEFAULTS: dict[str, dict[str, Any]] = {"instance_config": {"instance_count": 1}}


def _without_service_defaults(member: str, old: Any, new: Any) -> Any:
    defaults = SERVICE_DEFAULTS.get(member)
    if not defaults or not isinstance(old, Mapping):
        return old
    new_map = new if isinstance(new, Mapping) else {}
    return {
        key: value
        for key, value in old.items()
        if not (key in defaults and key not in new_map and normalized(value) == defaults[key])
    }


def _same(member: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    old = _without_service_defaults(member, olds.get(member), news.get(member))
    return same_request(member, {member: old}, news)


def _name(props: Mapping[str, Any], _resource: str) -> str:
    return str(props.get("job_name") or "?")


RUN = Run(
    JOB,
    create=lambda braket, request: str(braket.create_job(**request)["jobArn"]),
    get=lambda braket, arn: dict(braket.get_job(jobArn=arn)),
    cancel=lambda braket, arn: braket.cancel_job(jobArn=arn),
    operations={
        "create": "CreateJob",
        "get": "GetJob",
        "cancel": "CancelJob",
        "tag": "TagResource",
    },
    computed=COMPUTED,
    cancellable=frozenset({"QUEUED", "RUNNING"}),
    name=_name,
    noun="job",
    cancel_command="aws braket cancel-job --job-arn",
    rerun_hint="a hyperparameter",
    same=_same,
)
# The create-only inputs whose change forces a new job (all but tags).
replacements = RUN.replacements


# The request members an SDK-style input becomes: when the input has a problem, the member
# it would have filled is not reported missing as well.
_DERIVED = JOB.derived


def _covers(path: str) -> set[str]:
    """The top-level members a failure at ``path`` speaks for."""
    top = path.split(".")[0].split("[")[0]
    return {top, _DERIVED[top]} if top in _DERIVED else {top}


# Members (and members' members) the SDK defaults fill when left out (see defaults/filler.py).
FILLABLE = frozenset(JOB.filled)


class JobCore(RunCore):
    """CRUD for Job through create_job, get_job, tag_resource, untag_resource and cancel_job."""

    run = RUN
    # Check's bookkeeping and the resource's identity: only check and create read them.
    input_only: ClassVar[tuple[str, ...]] = (SCOPE, URN, DEFAULTED, LOOKED_UP)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: value for key, value in news.items() if not key.startswith("__")}
        previous = {key: value for key, value in olds.items() if not key.startswith("__")}
        failures = self._check_wait(inputs)
        # What is wrong with the inputs as given is reported before any lookup, so a bad
        # input never costs an API call (device, STS, IAM) and is reported the same offline.
        early = failures + self._offline_problems(inputs)
        if early:
            return CheckResult(inputs, early + self._check_tags(inputs))
        failures += self._check_device(previous, inputs)
        taken: set[str] = set()
        for failure in failures:
            taken.update(_covers(failure.property))
        if not inputs.get(ADOPT):
            # An adopted job is what it is: defaults would only make it differ.
            name = self.resource_name(inputs) or "job"
            try:
                inputs, notes = fill_job_defaults(name, inputs, self.settings, previous=previous)
            except DefaultsError as error:
                inputs, notes = error.inputs, error.notes
                for path, reason in error.problems:
                    failures.append(CheckFailure(path, reason))
                    taken.update(_covers(path))
            if not previous:
                # One message, one default a line (the whole list on one line ran past a
                # thousand characters), then the cost: each message is a round trip to the
                # engine, and the engine checks one resource at a time.
                statement = cost.job_statement(inputs)
                shown = Words("defaults:\n  ", joined(notes, "\n  "), "\n", statement)
                self.host.progress(self.call.urn, INFO, shown if notes else statement)
        request = {key: value for key, value in inputs.items() if key not in NOT_SENT}
        failures += check_shape(REQUEST, {**request, "client_token": "check"}, exclude=tuple(taken))
        adopt = inputs.get(ADOPT)
        if isinstance(adopt, str):
            failures += [
                CheckFailure(ADOPT, problem.rule)
                for problem in shapes.validate_value("JobArn", adopt)
            ]
        failures += self._check_tags(inputs)
        return CheckResult(inputs, failures)

    def _offline_problems(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """The model's rules on the inputs as given, but for members a default may fill."""
        request = {key: value for key, value in inputs.items() if key not in NOT_SENT}
        fillable = set(FILLABLE)
        for given in (SOURCE, DEVICE):
            if inputs.get(given) is not None:
                fillable.add(JOB.derived[given])
        problems = check_shape(REQUEST, {**request, "client_token": "check"})
        problems = [
            failure
            for failure in problems
            if not (failure.reason == "is required" and failure.property in fillable)
        ]
        problems += (
            [
                CheckFailure(ADOPT, problem.rule)
                for problem in shapes.validate_value("JobArn", str(inputs[ADOPT]))
            ]
            if isinstance(inputs.get(ADOPT), str)
            else []
        )
        return problems

    def _check_device(
        self, previous: Mapping[str, Any], inputs: dict[str, Any]
    ) -> list[CheckFailure]:
        """Resolve ``device`` into device_config and check the device can run a new job."""
        wanted, config = inputs.get(DEVICE), inputs.get("device_config")
        if wanted is None:
            if not isinstance(config, Mapping) or not isinstance(config.get("device"), str):
                return []
            wanted, path = config["device"], "device_config.device"
        else:
            path = DEVICE
            if config is not None:
                return [
                    CheckFailure(
                        DEVICE, at(DEVICE, Field("device_config"), " is set too; give one of them")
                    )
                ]
        if is_unknown(wanted):
            inputs["device_config"] = {"device": wanted}
            return []
        before = previous.get("device_config")
        if (
            previous.get(DEVICE) == inputs.get(DEVICE)
            and isinstance(before, Mapping)
            and isinstance(before.get("device"), str)
            and (path == DEVICE or before.get("device") == wanted)
        ):
            # Unchanged since the job was created: nothing to look up, and a device that has
            # gone offline since must not fail the preview of a job that already exists.
            inputs["device_config"] = {"device": before["device"]}
            return []
        if str(wanted).startswith("arn:") and (problem := device_arn_problem(str(wanted))):
            return [CheckFailure(path, at(path, problem))]
        here = region_of(self.settings)
        home = region_of_arn(str(wanted)) if str(wanted).startswith("arn:") else None
        if home is None:
            try:
                device = find_device(self.settings, str(wanted))
            except BraketError as error:
                return [CheckFailure(path, at(path, error))]
            home = device.region
        if home and home != here:
            # Decided: reported, not routed. A job lives in its device's region, and reading,
            # tagging and cancelling it later must reach that region too; a stack has one
            # Braket region, so a per-job region would be a second, hidden provider.
            return [
                CheckFailure(
                    path,
                    at(
                        path,
                        f"{wanted} is a QPU in {home}, but this stack's Braket region is "
                        f"{here}; a hybrid job runs in its device's region: set `pulumi config "
                        f"set aws:region {home}` (or braket:region), or keep jobs of that "
                        "region in a stack of their own",
                    ),
                )
            ]
        try:
            device = find_device(self.settings, str(wanted))
        except BraketError as error:
            return [CheckFailure(path, at(path, error))]
        if device.status == "RETIRED":
            return [CheckFailure(path, at(path, f"{device.arn} is RETIRED; choose another device"))]
        if device.status != "ONLINE":
            self.host.progress(
                self.call.urn,
                WARNING,
                f"Braket Job ({self.resource_name(inputs) or 'job'}): device {device.arn} is "
                f"{device.status} now; creating the job fails (DeviceOfflineException) unless "
                "it is ONLINE by then",
            )
        inputs["device_config"] = {"device": device.arn}
        return []

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get(ADOPT):
            return self._adopt(str(props[ADOPT]), props)
        self._upload(props)
        return super().create(props)

    # -- source and input data ----------------------------------------------------------

    def _upload(self, props: Mapping[str, Any]) -> None:
        """Store ``source`` and local ``input_data`` where check said they would be."""
        uploads: list[tuple[str, Any, str, bool]] = []
        if props.get(SOURCE) is not None:
            spec = props.get("algorithm_specification") or {}
            uri = str((spec.get("script_mode_config") or {}).get("s3_uri", ""))
            uploads.append((SOURCE, props[SOURCE], uri, True))
        channels = {
            str(item.get("channel_name")): item
            for item in props.get("input_data_config") or []
            if isinstance(item, Mapping)
        }
        for channel, location in sorted((props.get(INPUT_DATA) or {}).items()):
            if isinstance(location, str) and location.startswith("s3://"):
                continue
            data = channels.get(channel, {}).get("data_source", {}).get("s3_data_source", {})
            uploads.append((f"{INPUT_DATA}.{channel}", location, str(data.get("s3_uri")), False))
        if not uploads:
            return
        s3 = client(self.settings, "s3")
        for what, location, uri, archive in uploads:
            packed = source.pack(location)
            parts = source.split_s3_uri(uri)
            if parts is None or packed.sha256[: source.KEY_DIGEST_LENGTH] not in uri:
                raise BraketError(
                    f"create Braket {KIND} ({self._name(props)}): ",
                    Field(what),
                    f" {location} changed after the preview of this update; run `pulumi up` again",
                )
            bucket, key = parts
            self._ensure_default_bucket(bucket, s3)
            if archive:
                source.upload(packed, bucket, key, s3)
            else:
                source.upload_tree(packed, bucket, key.rsplit("/", 1)[0], s3)

    def _ensure_default_bucket(self, bucket: str, s3: Any) -> None:
        # The SDK creates its default bucket when missing (AwsSession.default_bucket); any
        # other bucket is the user's to create.
        from pulumi_braket.defaults import account_id

        try:
            region = region_of(self.settings)
            if bucket == source.default_bucket(region, account_id(self.settings)):
                source.ensure_bucket(bucket, s3, region)
        except BotoCoreError as error:
            raise describe("create", source.BUCKET_KIND, bucket, error) from None

    # -- waiting ------------------------------------------------------------------------

    def _default_wait_seconds(self, props: Mapping[str, Any]) -> float:
        stop = props.get("stopping_condition") or {}
        runtime = float(stop.get("max_runtime_in_seconds") or 432000)
        return runtime + QUEUE_ALLOWANCE_SECONDS

    def _finish_outputs(self, outs: dict[str, Any], old: Mapping[str, Any]) -> None:
        """``result``: read once, when the job is first seen COMPLETED; carried after that."""
        uri = outs.get(RESULTS)
        if not uri:
            outs[RESULT] = None
        elif old.get(RESULTS) == uri:
            # Seen COMPLETED before: what was read then stands, even None (too large or
            # pickled), so a refresh never downloads the archive again.
            outs[RESULT] = old.get(RESULT)
        else:
            outs[RESULT] = job_result(client(self.settings, "s3"), str(uri))

    def _outputs(self, inputs: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
        outs = super()._outputs(inputs, found)
        path = (outs.get("output_data_config") or {}).get("s3_path")
        done = found.get("status") == "COMPLETED" and isinstance(path, str)
        outs[RESULTS] = f"{str(path).rstrip('/')}/{RESULTS_KEY}" if done else None
        return outs

    def _adopt(self, arn: str, props: Mapping[str, Any]) -> CreateResult:
        """Take an existing job under management: its request must be what the program says."""
        try:
            job = self._call_get(arn)
        except (ClientError, BotoCoreError) as error:
            raise self._error("adopt", arn, error, "get") from None
        actual = shapes.from_wire(RESPONSE, job)
        differing = replacements(actual, {key: props.get(key) for key in INPUTS})
        if differing:
            raise BraketError(
                f"adopt Braket {KIND} ({arn}): the program differs from the job in ",
                listed(differing),
                f"; make them match (aws braket get-job --job-arn {arn})",
            )
        wanted = self._desired_tags(props)
        current = string_map(job.get("tags"))
        try:
            # Only add or correct the program's keys: tags set outside stay.
            self._apply_tags(arn, {k: v for k, v in current.items() if k in wanted}, wanted)
            job = self._call_get(arn)
        except (ClientError, BotoCoreError) as error:
            raise self._error("adopt", arn, error, "tag") from None
        return CreateResult(arn, self._outputs({**props, TAGS_ALL: wanted}, job))
