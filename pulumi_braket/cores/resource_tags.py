"""The ResourceTags core: tags on any Braket ARN, managing only the keys it declares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from pulumi_braket import shapes
from pulumi_braket.core import ResourceCore, check_shape, has_unknowns, string_map
from pulumi_braket.errors import describe, error_code
from pulumi_braket.outcomes import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi_braket.tagging import USER_RESERVED, tag_changes, tag_problems

KIND = "ResourceTags"
REQUEST = "TagResourceRequest"
# The model's pattern for any Braket resource ARN (the tag operations' resourceArn is a
# bare String there, so we check against BraketResourceArn).
ARN_SHAPE = "BraketResourceArn"


def resource_id(arn: str, keys: Mapping[str, Any]) -> str:
    """The id: the ARN and the keys this resource manages, so an import knows its keys."""
    return f"{arn}|{','.join(sorted(keys))}"


def parse_id(id_: str) -> tuple[str, list[str]]:
    arn, _, keys = id_.partition("|")
    return arn, [key for key in keys.split(",") if key]


class ResourceTagsCore(ResourceCore):
    """CRUD for ResourceTags through tag_resource, untag_resource and list_tags_for_resource."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: value for key, value in news.items() if not key.startswith("__")}
        failures = check_shape(REQUEST, inputs)
        arn = inputs.get("resource_arn")
        if isinstance(arn, str):
            failures += [
                CheckFailure(f"resource_arn{p.path and '.' + p.path}", p.rule)
                for p in shapes.validate_value(ARN_SHAPE, arn)
            ]
        tags = inputs.get("tags")
        if isinstance(tags, Mapping) and not has_unknowns(tags):
            failures += [
                CheckFailure(path, rule)
                for path, rule in tag_problems(tags, reserved=USER_RESERVED)
            ]
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        arn_changed = has_unknowns(news.get("resource_arn")) or olds.get(
            "resource_arn"
        ) != news.get("resource_arn")
        tags_changed = has_unknowns(news.get("tags")) or string_map(olds.get("tags")) != (
            string_map(news.get("tags"))
        )
        return DiffResult(
            changes=arn_changed or tags_changed,
            replaces=["resource_arn"] if arn_changed else [],
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        arn, tags = str(props["resource_arn"]), string_map(props.get("tags"))
        try:
            if tags:
                self.braket().tag_resource(resourceArn=arn, tags=tags)
        except (ClientError, BotoCoreError) as error:
            raise describe("tag", KIND, arn, error, operation="TagResource") from None
        return CreateResult(resource_id(arn, tags), {"resource_arn": arn, "tags": tags})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        arn, keys = parse_id(id_)
        arn = str(props.get("resource_arn") or arn)
        own = list(string_map(props.get("tags"))) if props.get("tags") is not None else keys
        try:
            found = string_map(self.braket().list_tags_for_resource(resourceArn=arn).get("tags"))
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return ReadResult("", {})
            raise describe("read", KIND, arn, error, operation="ListTagsForResource") from None
        except BotoCoreError as error:
            raise describe("read", KIND, arn, error, operation="ListTagsForResource") from None
        outs = {"resource_arn": arn, "tags": {key: found[key] for key in own if key in found}}
        return ReadResult(id_, outs, dict(outs))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        arn = str(news["resource_arn"])
        new_tags = string_map(news.get("tags"))
        to_set, to_remove = tag_changes(string_map(olds.get("tags")), new_tags)
        try:
            if to_set:
                self.braket().tag_resource(resourceArn=arn, tags=to_set)
            if to_remove:
                self.braket().untag_resource(resourceArn=arn, tagKeys=to_remove)
        except (ClientError, BotoCoreError) as error:
            raise describe("update", KIND, arn, error, operation="TagResource") from None
        return UpdateResult({"resource_arn": arn, "tags": new_tags})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        arn = str(props.get("resource_arn") or parse_id(id_)[0])
        keys = list(string_map(props.get("tags")))
        if not keys:
            return
        try:
            self.braket().untag_resource(resourceArn=arn, tagKeys=keys)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return
            raise describe("untag", KIND, arn, error, operation="UntagResource") from None
        except BotoCoreError as error:
            raise describe("untag", KIND, arn, error, operation="UntagResource") from None
