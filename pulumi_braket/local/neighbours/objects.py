"""The service's own reads and writes of moto's S3 and Logs state, in process, not over HTTP.

Runners read job sources and write results here. Going through moto's backends rather than
the endpoint keeps these writes out of the calls log, which counts what clients do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any


class ObjectError(Exception):
    """A bucket or key is missing; the message names it as S3 would."""


def _s3(account: str) -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[account]["aws"]


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of ``s3://bucket/key``."""
    if not uri.startswith("s3://"):
        raise ObjectError(f"{uri!r} is not an s3:// URI")
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bucket, key


def _bucket(account: str, bucket: str) -> Any:
    from moto.s3.exceptions import MissingBucket

    try:
        return _s3(account).get_bucket(bucket)
    except MissingBucket:
        raise ObjectError(f"NoSuchBucket: the bucket {bucket} does not exist") from None


def get_object(account: str, bucket: str, key: str) -> bytes:
    _bucket(account, bucket)
    found = _s3(account).get_object(bucket, key)
    if found is None:
        raise ObjectError(f"NoSuchKey: s3://{bucket}/{key} does not exist")
    value: bytes = found.value
    return value


def put_object(account: str, bucket: str, key: str, body: bytes) -> None:
    _bucket(account, bucket)
    _s3(account).put_object(bucket, key, body)
    changed()


_listener: Callable[[], None] | None = None


def on_change(listener: Callable[[], None] | None) -> None:
    """Call ``listener`` after S3 changes (the persistence mirror listens)."""
    global _listener
    _listener = listener


def changed() -> None:
    listener = _listener
    if listener is not None:
        listener()


def list_keys(account: str, bucket: str, prefix: str) -> list[str]:
    """Keys under a prefix, sorted; a missing bucket is an ObjectError."""
    found = _bucket(account, bucket)
    return sorted(key for key in list(found.keys.keys()) if key.startswith(prefix))


def ensure_bucket(account: str, bucket: str, region: str) -> None:
    from moto.s3.exceptions import MissingBucket

    backend = _s3(account)
    try:
        backend.get_bucket(bucket)
    except MissingBucket:
        backend.create_bucket(bucket, region)
        changed()


def all_objects(account: str) -> Iterator[tuple[str, str, str, Callable[[], bytes]]]:
    """(bucket, key, etag, read the body) of every object, for persistence."""
    backend = _s3(account)
    for name, bucket in list(backend.buckets.items()):
        for key_name in list(bucket.keys.keys()):
            key = bucket.keys.get(key_name)
            if key is None or not hasattr(key, "value"):
                continue
            yield name, key_name, str(key.etag), _reader(key)


def _reader(key: Any) -> Callable[[], bytes]:
    return lambda: bytes(key.value)


def all_buckets(account: str) -> list[tuple[str, str]]:
    backend = _s3(account)
    return [(name, bucket.region_name) for name, bucket in list(backend.buckets.items())]


# -- CloudWatch Logs ------------------------------------------------------------------------

_logs_lock = threading.Lock()


def _logs(account: str, region: str) -> Any:
    from moto.logs.models import logs_backends

    return logs_backends[account][region]


def put_log_lines(
    account: str, region: str, group: str, stream: str, events: list[tuple[int, str]]
) -> None:
    """Append (timestamp in ms, message) events, creating the group and stream as needed."""
    if not events:
        return
    backend = _logs(account, region)
    with _logs_lock:
        if group not in backend.groups:
            backend.create_log_group(group, None)
        if stream not in backend.groups[group].streams:
            backend.create_log_stream(group, stream)
        backend.put_log_events(
            group, stream, [{"timestamp": at, "message": message} for at, message in events]
        )


def log_events(account: str, region: str, group: str, prefix: str) -> list[tuple[str, int, str]]:
    """(stream, timestamp in ms, message) of every event in streams named with a prefix."""
    backend = _logs(account, region)
    found: list[tuple[str, int, str]] = []
    with _logs_lock:
        log_group = backend.groups.get(group)
        if log_group is None:
            return found
        for name, stream in sorted(log_group.streams.items()):
            if not name.startswith(prefix):
                continue
            found += [(name, event.timestamp, event.message) for event in stream.events]
    return found
