"""The SpendingLimit core: a Braket spending limit on one QPU, updated in place."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from pulumi_braket import cost, shapes
from pulumi_braket.core import (
    ResourceCore,
    check_shape,
    has_unknowns,
    resource_or_device,
    string_map,
)
from pulumi_braket.declarations import ADOPT, SCOPE, SPENDING_LIMIT, TAGS_ALL
from pulumi_braket.devices import find_device
from pulumi_braket.errors import BraketError, describe, error_code
from pulumi_braket.lifecycle import client_token
from pulumi_braket.outcomes import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi_braket.tagging import USER_RESERVED, tag_changes, tag_problems
from pulumi_braket.wording import Field, at

KIND = "SpendingLimit"
REQUEST = "CreateSpendingLimitRequest"
INPUTS = ("device_arn", "spending_limit", "time_period", "tags")
# The device as the program names it (an ARN or a short name such as ionq/forte-1), kept so
# that an unchanged name is not looked up again.
DEVICE = "device"
# ADOPT (declarations) is the ARN of an existing limit to take under management instead of
# creating one (the adopt path: import fails for every Python dynamic resource,
# pulumi/pulumi#16175).
OUTPUTS = ("arn", "queued_spend", "total_spend", "created_at", "updated_at", TAGS_ALL)


def _amount_rule() -> str:
    member = shapes.service_model().shape_for(REQUEST).members["spendingLimit"]  # type: ignore[attr-defined]
    return str(member.metadata["pattern"])


AMOUNT_RULE = _amount_rule()
AMOUNT = re.compile(shapes.anchored(AMOUNT_RULE))


def amount(value: Any) -> str | None:
    """USD with cents ("100" and 100 are "100.00"), or None if it is not an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and not AMOUNT.match(value):
        # The model's pattern, as the service applies it: Decimal alone would also take
        # " 1", "1e2", "1_000" and other scripts' digits.
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return cost.usd(number) if number == number.quantize(cost.CENT) else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def _wire_period(period: Mapping[str, Any] | None) -> dict[str, datetime] | None:
    if not period:
        return None
    start, end = _time(period.get("start_at")), _time(period.get("end_at"))
    assert start is not None and end is not None  # check made sure
    return {"startAt": start, "endAt": end}


def _rfc3339(value: Any) -> str:
    text: str = value.isoformat().replace("+00:00", "Z")
    return text


def _material(request: Mapping[str, Any]) -> dict[str, Any]:
    """The request as text the client token is derived from (times in RFC 3339)."""
    found = dict(request)
    if "timePeriod" in found:
        found["timePeriod"] = {key: _rfc3339(value) for key, value in found["timePeriod"].items()}
    return found


class SpendingLimitCore(ResourceCore):
    """CRUD through create/update/delete/search_spending_limits and the tag operations."""

    def _name(self, props: Mapping[str, Any]) -> str:
        return resource_or_device(props, self.resource_name(props))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: value for key, value in news.items() if not key.startswith("__")}
        failures: list[CheckFailure] = []
        skip: list[str] = ["time_period"]
        raw = inputs.get("spending_limit")
        if raw is not None and not has_unknowns(raw):
            normal = amount(raw)
            if normal is not None:
                inputs["spending_limit"] = normal
            elif raw != "":  # an empty one breaks the model's length rule, which says so
                skip.append("spending_limit")
                rule = f": it should match pattern {AMOUNT_RULE}" if isinstance(raw, str) else ""
                failures.append(
                    CheckFailure(
                        "spending_limit",
                        at(
                            "spending_limit",
                            f"{raw!r} is not an amount in USD with at most two decimals, such "
                            f'as 100 or "100.00"{rule}',
                        ),
                    )
                )
        period = inputs.get("time_period")
        if isinstance(period, Mapping) and not has_unknowns(period):
            start, end = _time(period.get("start_at")), _time(period.get("end_at"))
            for member, found in (("start_at", start), ("end_at", end)):
                if found is None:
                    failures.append(
                        CheckFailure(
                            f"time_period.{member}",
                            at(
                                f"time_period.{member}",
                                f"{period.get(member)!r} is not an RFC 3339 time such as "
                                "2026-01-31T00:00:00Z",
                            ),
                        )
                    )
            if start is not None and end is not None and start >= end:
                failures.append(
                    CheckFailure(
                        "time_period",
                        at(
                            "time_period",
                            Field("start_at"),
                            " must be before ",
                            Field("end_at"),
                        ),
                    )
                )
        request = {key: inputs.get(key) for key in INPUTS if inputs.get(key) is not None}
        if "time_period" in request and not failures:
            request["time_period"] = _wire_period(request["time_period"])
        # A short name fits the model's DeviceArn (1 to 256 characters) as an ARN does.
        device = inputs.get("device_arn")
        shape = check_shape(
            REQUEST,
            {**request, "client_token": "check", "device_arn": device}
            if isinstance(device, str)
            else {**request, "client_token": "check", "device_arn": "arn"},
            exclude=tuple(skip),
        )
        failures += shape
        if not any(failure.property == "device_arn" for failure in shape):
            # Only a device the model allows is looked up.
            failures += self._check_device(olds, inputs)
        adopt = inputs.get(ADOPT)
        if isinstance(adopt, str):
            failures += [
                CheckFailure(ADOPT, at(ADOPT, problem.rule))
                for problem in shapes.validate_value("SpendingLimitArn", adopt)
            ]
        tags = inputs.get("tags")
        if not has_unknowns(tags):
            merged = {**self.settings.tags, **string_map(tags)}
            inputs[TAGS_ALL] = merged
            failures += [
                CheckFailure(path, rule)
                for path, rule in tag_problems(merged, reserved=USER_RESERVED)
            ]
        return CheckResult(inputs, failures)

    def _check_device(self, olds: Mapping[str, Any], inputs: dict[str, Any]) -> list[CheckFailure]:
        wanted = inputs.get("device_arn")
        if not isinstance(wanted, str):
            return [] if wanted is not None else [CheckFailure("device_arn", "is required")]
        if olds.get(DEVICE) == wanted and isinstance(olds.get("device_arn"), str):
            # Unchanged: no lookup, so a preview of an unchanged stack makes no API call.
            inputs[DEVICE], inputs["device_arn"] = wanted, olds["device_arn"]
            return []
        try:
            found = find_device(self.settings, wanted)
        except BraketError as error:
            return [CheckFailure("device_arn", at("device_arn", error))]
        if found.device_type != "QPU":
            return [
                CheckFailure(
                    "device_arn",
                    at(
                        "device_arn",
                        f"{found.arn} is a simulator; Braket's spending limits cover QPU "
                        "tasks only",
                    ),
                )
            ]
        inputs[DEVICE], inputs["device_arn"] = wanted, found.arn
        return []

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        moved = [
            key
            for key in SPENDING_LIMIT.replacing
            if has_unknowns(news.get(key)) or olds.get(key) != news.get(key)
        ]
        changed = [
            key
            for key in SPENDING_LIMIT.in_place
            if key != "tags" and (has_unknowns(news.get(key)) or olds.get(key) != news.get(key))
        ]
        tags_changed = has_unknowns(news.get("tags")) or string_map(olds.get(TAGS_ALL)) != (
            string_map(news.get(TAGS_ALL))
        )
        # UpdateSpendingLimit can change a period but not remove one: that takes a new limit.
        dropped = bool(olds.get("time_period")) and news.get("time_period") is None
        return DiffResult(
            changes=bool(moved) or bool(changed) or tags_changed,
            replaces=moved + (["time_period"] if dropped else []),
            delete_before_replace=False,
        )

    def _request(self, props: Mapping[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = {
            "deviceArn": props["device_arn"],
            "spendingLimit": props["spending_limit"],
        }
        period = _wire_period(props.get("time_period"))
        if period is not None:
            request["timePeriod"] = period
        return request

    def _find(self, arn: str) -> dict[str, Any] | None:
        found = self.braket().search_spending_limits(
            filters=[{"name": "spendingLimitArn", "operator": "EQUAL", "values": [arn]}]
        )["spendingLimits"]
        return dict(found[0]) if found else None

    def _looked_up(self, action: str, arn: str) -> dict[str, Any] | None:
        """The limit by ARN, or None; a failed search as one line naming ``action``."""
        try:
            return self._find(arn)
        except (ClientError, BotoCoreError) as error:
            raise describe(action, KIND, arn, error, operation="SearchSpendingLimits") from None

    def _outputs(self, inputs: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
        kept = (*INPUTS, DEVICE, SCOPE, ADOPT)
        outs = {key: inputs[key] for key in kept if inputs.get(key) is not None}
        outs.update(
            {
                "arn": found["spendingLimitArn"],
                "device_arn": found["deviceArn"],
                "spending_limit": found["spendingLimit"],
                "queued_spend": found.get("queuedSpend"),
                "total_spend": found.get("totalSpend"),
                "created_at": _rfc3339(found["createdAt"]),
                "updated_at": _rfc3339(found["updatedAt"]),
            }
        )
        period = found.get("timePeriod")
        if period:
            outs["time_period"] = {
                "start_at": _rfc3339(period["startAt"]),
                "end_at": _rfc3339(period["endAt"]),
            }
        elif "time_period" in outs:
            del outs["time_period"]
        service_tags = string_map(found.get("tags"))
        managed = string_map(inputs.get(TAGS_ALL))
        outs[TAGS_ALL] = {key: service_tags[key] for key in managed if key in service_tags}
        return outs

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get(ADOPT):
            return self._adopt(str(props[ADOPT]), props)
        request = self._request(props)
        tags = string_map(props.get(TAGS_ALL))
        if tags:
            request["tags"] = tags
        request["clientToken"] = client_token(self.scope(props), _material(request))
        try:
            arn = str(self.braket().create_spending_limit(**request)["spendingLimitArn"])
            found = self._find(arn)
        except (ClientError, BotoCoreError) as error:
            raise describe(
                "create", KIND, self._name(props), error, operation="CreateSpendingLimit"
            ) from None
        if found is None:
            raise BraketError(f"create Braket {KIND} ({arn}): the new limit is not found")
        return CreateResult(arn, self._outputs(props, found))

    def _adopt(self, arn: str, props: dict[str, Any]) -> CreateResult:
        """Take an existing limit under management: same device, then the program's values."""
        found = self._looked_up("adopt", arn)
        if found is None:
            raise BraketError(f"adopt Braket {KIND} ({arn}): no such spending limit here")
        if found["deviceArn"] != props.get("device_arn"):
            raise BraketError(
                f"adopt Braket {KIND} ({arn}): the limit is on {found['deviceArn']}, the "
                "program says ",
                Field("device_arn"),
                f" {props.get('device_arn')}; make them match",
            )
        # Amount, period and tags update in place: the program's values win, and tags set by
        # anyone else are left alone.
        olds: dict[str, Any] = {TAGS_ALL: {}}
        return CreateResult(arn, self.update(arn, olds, props).outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = self._looked_up("read", id_)
        if found is None:
            return ReadResult("", {})
        if not props.get("device_arn"):
            # Found by ARN alone: what the service reports is what the program must say.
            tags = string_map(found.get("tags"))
            inputs = {"device_arn": found["deviceArn"], "tags": tags, TAGS_ALL: tags}
            outs = self._outputs(inputs, found)
            return ReadResult(id_, outs, {k: outs[k] for k in (*INPUTS, TAGS_ALL) if k in outs})
        return ReadResult(id_, self._outputs(props, found))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        request = self._request(news)
        del request["deviceArn"]
        material = {"arn": id_, **_material(request)}
        request["clientToken"] = client_token(self.scope(news), material)
        braket = self.braket()
        try:
            braket.update_spending_limit(spendingLimitArn=id_, **request)
            to_set, to_remove = tag_changes(
                string_map(olds.get(TAGS_ALL)), string_map(news.get(TAGS_ALL))
            )
            if to_set:
                braket.tag_resource(resourceArn=id_, tags=to_set)
            if to_remove:
                braket.untag_resource(resourceArn=id_, tagKeys=to_remove)
            found = self._find(id_)
        except (ClientError, BotoCoreError) as error:
            raise describe("update", KIND, id_, error, operation="UpdateSpendingLimit") from None
        if found is None:
            raise BraketError(f"update Braket {KIND} ({id_}): the limit is gone")
        return UpdateResult(self._outputs(news, found))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            self.braket().delete_spending_limit(spendingLimitArn=id_)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return  # deleted out of band: deleted all the same
            raise describe("delete", KIND, id_, error, operation="DeleteSpendingLimit") from None
        except BotoCoreError as error:
            raise describe("delete", KIND, id_, error, operation="DeleteSpendingLimit") from None
