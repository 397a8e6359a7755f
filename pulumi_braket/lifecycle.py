"""The lifecycle jobs and quantum tasks share: create once, tag in place, cancel on delete."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from botocore.exceptions import BotoCoreError, ClientError

from pulumi_braket import shapes
from pulumi_braket.context import INFO, WARNING
from pulumi_braket.core import ResourceCore, has_unknowns, normalized, string_map
from pulumi_braket.declarations import SCOPE, TAGS_ALL, WAIT, Resource
from pulumi_braket.errors import BraketError, describe, error_code
from pulumi_braket.outcomes import CheckFailure, CreateResult, DiffResult, ReadResult, UpdateResult
from pulumi_braket.tagging import OWN_PREFIX, USER_RESERVED, tag_changes, tag_problems
from pulumi_braket.waiters import DELETE_PACE, TERMINAL, WaitStopped, WaitTimedOut, until_ended
from pulumi_braket.wording import at, joined

# Set on a run when its resource is deleted, so a later create with the same inputs, and
# therefore the same client token, starts a new run instead of returning this one.
RELEASED_TAG = f"{OWN_PREFIX}released"
MAX_GENERATIONS = 50
# How long delete waits for a cancelled run to end: bounded, because a waiting delete holds
# one of the dynamic provider host's four worker threads.
CANCEL_TIMEOUT_SECONDS = 600.0


def client_token(scope: str, request: Mapping[str, Any], generation: int = 0) -> str:
    """A 64-character token from the resource's identity and its create request."""
    body = {key: value for key, value in request.items() if key != "clientToken"}
    material = json.dumps([scope, body, generation], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(material.encode()).hexdigest()


def computed_members(response: str, inputs: tuple[str, ...], arn_member: str) -> tuple[str, ...]:
    """What a get_* response reports beyond the request, in snake_case."""
    return tuple(
        shapes.snake(name)
        for name in shapes.members(response)
        if shapes.snake(name) not in inputs and name not in (arn_member, "queueInfo")
    )


def same_request(member: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether a request member is unchanged: equal as Pulumi hands values back."""
    return bool(normalized(olds.get(member)) == normalized(news.get(member)))


@dataclass(frozen=True)
class Run:
    """One kind of run (a job, a quantum task), as the lifecycle needs it: plain values and
    functions, each required, so a kind that lacks one fails where it is declared."""

    # The resource's one declaration: kind, response shape, ARN member, request members.
    declared: Resource
    # The Braket calls, on a client: create answers the new ARN.
    create: Callable[[Any, dict[str, Any]], str]
    get: Callable[[Any, str], dict[str, Any]]
    cancel: Callable[[Any, str], None]
    # The API operation each step makes, as failures name it (CreateJob, ...).
    operations: Mapping[str, str]
    # Response members kept as outputs, and the states a cancel moves on (CANCELLING is
    # only waited for).
    computed: tuple[str, ...]
    cancellable: frozenset[str]
    # The run's name in messages, from its inputs and the resource's name in the program.
    name: Callable[[Mapping[str, Any], str], str]
    # For messages: what a run is called, how to cancel one by hand, which input to
    # change to run a new one.
    noun: str
    cancel_command: str
    rerun_hint: str
    # Whether a create-only member is unchanged (olds as stored, news as checked).
    same: Callable[[str, Mapping[str, Any], Mapping[str, Any]], bool] = same_request
    # Request members as sent, from the checked ones (JSON documents as text, say).
    as_sent: Callable[[dict[str, Any]], dict[str, Any]] = dict

    def replacements(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """The create-only members whose change forces a new run (all but tags)."""
        return [
            member
            for member in self.declared.replacing
            if has_unknowns(news.get(member)) or not self.same(member, olds, news)
        ]


class RunCore(ResourceCore):
    """CRUD shared by Job and QuantumTask, from the kind of run each one declares."""

    run: ClassVar[Run]
    cancel_timeout_seconds: ClassVar[float] = CANCEL_TIMEOUT_SECONDS

    @property
    def kind(self) -> str:
        return self.run.declared.kind

    @property
    def response_shape(self) -> str:
        return str(self.run.declared.response)

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.run.declared.request_members

    def _name(self, props: Mapping[str, Any]) -> str:
        return self.run.name(props, self.resource_name(props))

    def _replacements(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        return self.run.replacements(olds, news)

    def _call_create(self, request: dict[str, Any]) -> str:
        return self.run.create(self.braket(), request)

    def _call_get(self, arn: str) -> dict[str, Any]:
        return self.run.get(self.braket(), arn)

    def _call_cancel(self, arn: str) -> None:
        self.run.cancel(self.braket(), arn)

    def request(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The wire request from checked inputs, without its client token."""
        snake = {key: props[key] for key in self.inputs if props.get(key) is not None}
        try:
            snake = self.run.as_sent(snake)
        except ValueError as error:
            raise BraketError(f"create Braket {self.kind} ({self._name(props)}): {error}") from None
        snake["tags"] = self._desired_tags(props)
        if not snake["tags"]:
            del snake["tags"]
        snake["client_token"] = "pending"
        request = str(self.run.declared.request)
        problems = shapes.validate(request, snake, strict=False, snake_case=True)
        if problems:
            detail = joined((at(problem.path, problem.rule) for problem in problems), "; ")
            raise BraketError(
                f"create Braket {self.kind} ({self._name(props)}): invalid inputs: ", detail
            )
        wire = shapes.to_wire(request, snake)
        del wire["clientToken"]
        return wire

    def _adopted_inputs(self, found: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs of a run found by ARN alone, as far as the service reports them."""
        reported = shapes.from_wire(self.response_shape, found)
        return {key: reported[key] for key in self.inputs if key in reported and key != "tags"}

    # -- shared ---------------------------------------------------------------------------

    def _merged_tags(self, tags: Any) -> dict[str, str]:
        return {**self.settings.tags, **string_map(tags)}

    def _check_tags(self, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Merge default tags into ``tags_all`` (shown in preview) and check AWS's tag rules."""
        tags = inputs.get("tags")
        if has_unknowns(tags):
            return []
        merged = self._merged_tags(tags)
        inputs[TAGS_ALL] = merged
        return [
            CheckFailure(path, rule) for path, rule in tag_problems(merged, reserved=USER_RESERVED)
        ]

    def _desired_tags(self, props: Mapping[str, Any]) -> dict[str, str]:
        return string_map(props.get(TAGS_ALL)) or self._merged_tags(props.get("tags"))

    def _error(self, action: str, identity: str, error: Exception, step: str) -> BraketError:
        return describe(action, self.kind, identity, error, operation=self.run.operations[step])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = self._replacements(olds, news)
        tags_changed = has_unknowns(news.get("tags")) or (
            string_map(olds.get(TAGS_ALL)) != self._desired_tags(news)
        )
        return DiffResult(
            changes=bool(replaces) or tags_changed,
            replaces=replaces,
            # A run is not a service: the old one is cancelled before its successor starts,
            # which also keeps replacements inside concurrency quotas.
            delete_before_replace=True,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        request = self.request(props)
        if RELEASED_TAG in (request.get("tags") or {}):
            # check refuses it; without this guard every run started would look released.
            raise BraketError(
                f"create Braket {self.kind} ({self._name(props)}): tags: key {RELEASED_TAG!r} "
                f"uses the reserved prefix {OWN_PREFIX}"
            )
        scope = self.scope(props)
        for generation in range(MAX_GENERATIONS):
            request["clientToken"] = client_token(scope, request, generation)
            try:
                arn = self._call_create(request)
                found = self._call_get(arn)
            except (ClientError, BotoCoreError) as error:
                raise describe(
                    "create",
                    self.kind,
                    self._name(props),
                    error,
                    operation=self.run.operations["create"],
                    role_arn=request.get("roleArn"),
                ) from None
            # A released run belongs to a deleted resource: take the next token.
            if RELEASED_TAG not in (found.get("tags") or {}):
                timeout = self._wait_seconds(props)
                if timeout is not None:
                    found = self._wait(arn, props, timeout)
                outs = self._outputs(props, found)
                self._finish_outputs(outs, {})
                return CreateResult(arn, outs)
        raise BraketError(
            f"create Braket {self.kind} ({self._name(props)}): {MAX_GENERATIONS} earlier runs "
            "with these exact inputs were created and deleted by this stack; change an input "
            "to start another"
        )

    def _outputs(self, inputs: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
        """Complete outputs: the inputs as given, what the service computed, managed tags."""
        reported = shapes.from_wire(self.response_shape, found)
        kept = [key for key in (*self.inputs, *self._extra_inputs()) if key not in self.input_only]
        outs: dict[str, Any] = {key: inputs[key] for key in kept if inputs.get(key) is not None}
        outs.update({key: reported[key] for key in self.run.computed if key in reported})
        outs["arn"] = found[self.run.declared.arn_member]
        service_tags = string_map(found.get("tags"))
        managed = inputs.get(TAGS_ALL)
        keys = string_map(managed) if managed is not None else service_tags
        outs[TAGS_ALL] = {key: service_tags[key] for key in keys if key in service_tags}
        return outs

    def _extra_inputs(self) -> tuple[str, ...]:
        """Inputs beyond the request members that outputs and refresh keep."""
        return self.run.declared.extras

    def _finish_outputs(self, outs: dict[str, Any], old: Mapping[str, Any]) -> None:
        """Outputs read from the run's results (old outputs carry what was read before)."""

    # -- waiting --------------------------------------------------------------------------

    def _check_wait(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        wait = inputs.get(WAIT)
        if wait is None or isinstance(wait, bool) or has_unknowns(wait):
            return []
        if isinstance(wait, int | float) and wait > 0:
            return []
        return [
            CheckFailure(
                WAIT,
                at(WAIT, f"{wait!r} is neither true/false nor a positive number of seconds"),
            )
        ]

    def _default_wait_seconds(self, props: Mapping[str, Any]) -> float:
        """How long ``wait_for_completion=True`` waits at most."""
        return 3600.0

    def _wait_seconds(self, props: Mapping[str, Any]) -> float | None:
        """How long create waits for the run to end, or None not to wait."""
        wait = props.get(WAIT)
        if not wait:
            return None
        limit = self.call.timeout("create")
        seconds = self._default_wait_seconds(props) if wait is True else float(wait)
        return min(seconds, limit) if limit else seconds

    _waiting_lock = threading.Lock()
    _waiting = 0

    def _wait(self, arn: str, props: Mapping[str, Any], timeout: float) -> dict[str, Any]:
        """Poll until the run ends, streaming status changes and events to the resource."""
        urn, name = self.call.urn, self._name(props)
        with RunCore._waiting_lock:
            RunCore._waiting += 1
            waiting = RunCore._waiting
        limit = self.host.thread_limit
        if limit is not None and waiting >= limit - 1:
            self.host.progress(
                urn,
                WARNING,
                f"Braket {self.kind} ({name}): {waiting} jobs and tasks are waiting for "
                f"completion; {self.host.name} runs {limit} operations at once, so other "
                "resources wait behind them",
            )
        try:
            return self._poll(arn, urn, name, timeout)
        finally:
            with RunCore._waiting_lock:
                RunCore._waiting -= 1

    def _poll(self, arn: str, urn: Any, name: str, timeout: float) -> dict[str, Any]:
        last_status, events_shown = "", 0
        # Event types already shown: a status that an event has announced (RUNNING, say)
        # is not shown again on a line of its own.
        announced: set[str] = set()

        def get() -> dict[str, Any]:
            try:
                return self._call_get(arn)
            except (ClientError, BotoCoreError) as error:
                raise self._error("wait for", arn, error, "get") from None

        def seen(found: Mapping[str, Any], elapsed: float) -> None:
            nonlocal last_status, events_shown
            # Events first: they say how the run got to the status reported after them.
            events = found.get("events") or []
            for event in events[events_shown:]:
                kind = str(event.get("eventType"))
                text = event.get("message") or ""
                line = f"Braket {self.kind} {name}: {kind} {text}".rstrip()
                self.host.progress(urn, INFO, line)
                announced.add(kind)
            events_shown = max(events_shown, len(events))
            status = str(found["status"])
            if status != last_status:
                last_status = status
                if status not in announced:
                    self.host.progress(urn, INFO, f"Braket {self.kind} {name}: {status}")
            self.host.progress(urn, INFO, f"{status} for {elapsed:.0f} s", ephemeral=True)

        try:
            found = dict(until_ended(get, timeout=timeout, cancel=self.host.cancel, seen=seen))
        except WaitTimedOut as late:
            raise BraketError(
                f"create Braket {self.kind} ({name}): still {late.status} after {timeout:g} s "
                f"of waiting ({arn}); it keeps running: the next `pulumi up` waits for "
                f"this same {self.run.noun} again (same client token), or cancel it with "
                f"`{self.run.cancel_command} {arn}`"
            ) from None
        except WaitStopped:
            raise BraketError(
                f"create Braket {self.kind} ({name}): stopped waiting, the operation was "
                f"cancelled; the {self.run.noun} keeps running ({arn}), and the next `pulumi up` "
                "waits for it again (same client token)"
            ) from None
        status = str(found["status"])
        if status != "COMPLETED":
            reason = found.get("failureReason") or "no reason given"
            raise BraketError(
                f"create Braket {self.kind} ({name}): the {self.run.noun} ended {status}: {reason} "
                f"({arn}); it stays as history, and the same inputs name this same "
                f"{self.run.noun}: change an "
                f"input ({self.run.rerun_hint}, say) to run a new one"
            )
        return found

    # Inputs that only check and create read: check's olds are the state's inputs, and
    # create's props are check's result. Outputs (what diff, read and delete are given, and
    # the second copy in the state) leave them out, and so refresh keeps the stored inputs.
    input_only: ClassVar[tuple[str, ...]] = (SCOPE,)

    def _get_or_none(self, arn: str, action: str) -> dict[str, Any] | None:
        try:
            return self._call_get(arn)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return None
            raise self._error(action, arn, error, "get") from None
        except BotoCoreError as error:
            raise self._error(action, arn, error, "get") from None

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = self._get_or_none(id_, "read")
        if found is None:
            return ReadResult("", {})
        service_tags = string_map(found.get("tags"))
        service_tags.pop(RELEASED_TAG, None)
        if any(key in props for key in self.inputs):
            kept = (*self.inputs, *self._extra_inputs())
            inputs = {key: props[key] for key in kept if key in props}
            own = string_map(props.get("tags"))
            if own:
                inputs["tags"] = {key: service_tags[key] for key in own if key in service_tags}
            managed = string_map(props.get(TAGS_ALL)) or own
            inputs[TAGS_ALL] = {key: service_tags[key] for key in managed if key in service_tags}
            # The stored inputs stay as they are (they hold the input_only members, which
            # outputs do not): drift shows in the outputs, which is what diff compares.
            outs = self._outputs(inputs, found)
            self._finish_outputs(outs, props)
            return ReadResult(id_, outs)
        # Found by ARN alone: its request is its inputs, and all its tags are ours.
        inputs = self._adopted_inputs(found)
        inputs["tags"] = service_tags
        inputs[TAGS_ALL] = dict(service_tags)
        outs = self._outputs(inputs, found)
        self._finish_outputs(outs, props)
        return ReadResult(id_, outs, inputs)

    def _apply_tags(self, arn: str, old: Mapping[str, str], new: Mapping[str, str]) -> None:
        to_set, to_remove = tag_changes(old, new)
        braket = self.braket()
        if to_set:
            braket.tag_resource(resourceArn=arn, tags=to_set)
        if to_remove:
            braket.untag_resource(resourceArn=arn, tagKeys=to_remove)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        new_tags = self._desired_tags(news)
        try:
            self._apply_tags(id_, string_map(olds.get(TAGS_ALL)), new_tags)
            found = self._call_get(id_)
        except (ClientError, BotoCoreError) as error:
            raise self._error("update tags of", id_, error, "tag") from None
        outs = self._outputs({**news, TAGS_ALL: new_tags}, found)
        self._finish_outputs(outs, olds)
        return UpdateResult(outs)

    def _release(self, arn: str, props: Mapping[str, Any]) -> None:
        """Mark the run as belonging to a deleted resource (see RELEASED_TAG)."""
        braket = self.braket()
        try:
            braket.tag_resource(resourceArn=arn, tags={RELEASED_TAG: "true"})
        except ClientError as error:
            managed = sorted(string_map(props.get(TAGS_ALL)))
            if error_code(error) != "ValidationException" or not managed:
                raise
            # At AWS's 50-tag limit: the deleted resource's own tags no longer matter, the
            # marker does (without it, recreating these inputs would return this run).
            braket.untag_resource(resourceArn=arn, tagKeys=managed)
            braket.tag_resource(resourceArn=arn, tags={RELEASED_TAG: "true"})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            found = self._get_or_none(id_, "delete")
            if found is None:
                return
            status = found["status"]
            if status in self.run.cancellable:
                try:
                    self._call_cancel(id_)
                except ClientError as error:
                    # It ended between the read and the cancel: it is history now.
                    if error_code(error) != "ConflictException":
                        raise
            if status not in TERMINAL:
                self._wait_terminal(id_, self._delete_timeout(props))
            self._release(id_, props)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return
            raise self._error("delete", id_, error, "cancel") from None
        except BotoCoreError as error:
            raise self._error("delete", id_, error, "cancel") from None

    def _delete_timeout(self, props: Mapping[str, Any]) -> float:
        """How long delete waits for a cancel to finish: the delete custom timeout, on both
        hosts and for every run resource, else the resource's own default."""
        return self.call.timeout("delete") or float(self.cancel_timeout_seconds)

    def _wait_terminal(self, arn: str, timeout: float) -> str:
        """Poll until the run ends; bounded so one run cannot hold a host thread forever."""
        try:
            found = until_ended(
                lambda: self._call_get(arn),
                timeout=timeout,
                cancel=self.host.cancel,
                pace=DELETE_PACE,
            )
        except WaitTimedOut as late:
            raise BraketError(
                f"delete Braket {self.kind} ({arn}): still {late.status} after {timeout:g} s of "
                "waiting for the cancel to finish; run `pulumi destroy` again to keep waiting"
            ) from None
        except WaitStopped:
            raise BraketError(
                f"delete Braket {self.kind} ({arn}): stopped waiting for the cancel to "
                "finish, the operation was cancelled; run `pulumi destroy` again"
            ) from None
        return str(found["status"])
