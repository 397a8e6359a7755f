"""boto3 clients per settings and process, built once and shared by every resource."""

from __future__ import annotations

import os
import threading
from typing import Any

import boto3
from botocore.config import Config

from pulumi_braket.settings import ProviderSettings

USER_AGENT = "pulumi-braket/0.1.0"

_lock = threading.Lock()
_clients: dict[tuple[Any, ...], Any] = {}


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
            session: Any = boto3.session.Session(
                profile_name=settings.profile, region_name=settings.region
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
