"""AWS-wide tag rules that Braket's model does not state: what a user may set as a tag."""

from __future__ import annotations

from collections.abc import Mapping

# AWS General Reference, "Tagging AWS resources": at most 50 tags per resource, keys of
# 1-128 characters, values of at most 256, and the aws: prefix is reserved for AWS.
MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256
RESERVED_PREFIX = "aws:"
# Ours: the provider marks runs it has let go with pulumi-braket:released. A user tag under
# this prefix would make create take every run it starts for a deleted resource's.
OWN_PREFIX = "pulumi-braket:"
# What a user of the provider may not set; the service itself refuses only aws:.
USER_RESERVED = (RESERVED_PREFIX, OWN_PREFIX)


def tag_problems(
    tags: Mapping[str, str],
    existing: Mapping[str, str] | None = None,
    path: str = "tags",
    reserved: tuple[str, ...] = (RESERVED_PREFIX,),
) -> list[tuple[str, str]]:
    """(path, rule) for every tag that AWS would refuse, all at once.

    ``reserved`` are key prefixes refused whatever their case: AWS's own by default, and
    :data:`USER_RESERVED` for the tags a user declares.
    """
    found: list[tuple[str, str]] = []
    for key, value in tags.items():
        where = f"{path}.{key}" if key else path
        if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
            found.append((path, f"key {str(key)[:40]!r} must be 1 to {MAX_KEY} characters"))
        else:
            prefix = next((p for p in reserved if key.lower().startswith(p)), None)
            if prefix is not None:
                found.append((path, f"key {key!r} uses the reserved prefix {prefix}"))
        if not isinstance(value, str):
            found.append((where, f"value must be a string, got {type(value).__name__}"))
        elif len(value) > MAX_VALUE:
            found.append((where, f"value must be at most {MAX_VALUE} characters"))
    if len({**(existing or {}), **tags}) > MAX_TAGS:
        found.append((path, f"a resource can have at most {MAX_TAGS} tags"))
    return found


def tag_changes(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The tags to set (added or changed) and the keys to remove to go from old to new."""
    to_set = {key: value for key, value in new.items() if old.get(key) != value}
    to_remove = sorted(key for key in old if key not in new)
    return to_set, to_remove
