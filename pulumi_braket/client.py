"""boto3 clients per settings and process, built once and shared by every resource."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.utils import parse_timestamp

from pulumi_braket.settings import ProviderSettings

USER_AGENT = "pulumi-braket/0.1.0"

_lock = threading.Lock()
_clients: dict[tuple[Any, ...], Any] = {}


def timestamp(value: Any) -> datetime:
    """A response timestamp: ISO 8601 by the standard library, anything else as botocore does.

    botocore's own parser hands ISO 8601 text to dateutil, about 0.4 ms a value; a get_job
    carries several (its events each have one), which showed in `pulumi up` of many jobs.
    """
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    # Epoch seconds, RFC 822, and text with no zone (whose zone botocore decides).
    return parse_timestamp(value)


def client(settings: ProviderSettings, service: str = "braket") -> Any:
    """A shared client; clients are thread-safe but sessions are not, so build under a lock."""
    # Which environment credentials it was built with count too: a process (a lookup in a
    # program, a test) that switches AWS_ACCESS_KEY_ID must not get the old caller's client.
    key = (settings, service, os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_PROFILE"))
    found = _clients.get(key)
    if found is not None:
        return found
    with _lock:
        found = _clients.get(key)
        if found is None:
            core = botocore.session.get_session()
            parsers = core.get_component("response_parser_factory")
            parsers.set_parser_defaults(timestamp_parser=timestamp)
            session: Any = boto3.session.Session(
                profile_name=settings.profile, region_name=settings.region, botocore_session=core
            )
            retries: Any = {
                "mode": settings.retry_mode,
                "total_max_attempts": settings.max_attempts,
            }
            found = session.client(
                service,
                endpoint_url=settings.endpoint_url,
                config=Config(retries=retries, user_agent_extra=USER_AGENT),
            )
            _clients[key] = found
    return found


def region_of(settings: ProviderSettings) -> str:
    """The region Braket calls go to, as botocore resolved it."""
    return str(client(settings).meta.region_name)
