"""Provider settings from stack config and the standard AWS environment."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

# Our own config namespace; `aws:` keys are honoured too so a stack that already uses
# pulumi-aws needs no new configuration.
NAMESPACE = "braket"
RETRY_MODES = ("standard", "adaptive")


class ConfigSource(Protocol):
    """What `pulumi.dynamic.Config` offers: namespaced keys, values as the engine sent them."""

    def get(self, key: str) -> Any: ...


def _parse(value: Any) -> Any:
    # Structured config values reach dynamic providers as JSON text.
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _tags(value: Any) -> dict[str, str]:
    value = _parse(value)
    if value is None:
        return {}
    if isinstance(value, Mapping) and "tags" in value and isinstance(value["tags"], Mapping):
        value = value["tags"]  # pulumi-aws spells it aws:defaultTags = {tags: {...}}
    if not isinstance(value, Mapping):
        raise ValueError(f"default tags must be a map of strings, got {type(value).__name__}")
    return {str(key): str(item) for key, item in value.items()}


@dataclass(frozen=True)
class ProviderSettings:
    """Where and how to call Braket. Hashable: one client is built per distinct settings."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    default_tags: tuple[tuple[str, str], ...] = ()
    retry_mode: str = "standard"
    max_attempts: int = 10

    @property
    def tags(self) -> dict[str, str]:
        return dict(self.default_tags)

    @classmethod
    def from_config(
        cls, config: ConfigSource | None, environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        """Settings from `braket:*` and `aws:*` stack config, then the AWS environment.

        A region left unset is AWS_REGION's, as pulumi-aws and the AWS SDKs read it (botocore
        itself reads only AWS_DEFAULT_REGION). Profile and endpoint left unset are resolved by
        botocore from AWS_PROFILE, AWS_ENDPOINT_URL_BRAKET, AWS_ENDPOINT_URL and ~/.aws.
        """
        env = os.environ if environ is None else environ

        def get(key: str) -> Any:
            if config is None:
                return None
            for namespace in (NAMESPACE, "aws"):
                value = config.get(f"{namespace}:{key}")
                if value not in (None, ""):
                    return value
            return None

        tags = _tags(config.get("aws:defaultTags") if config else None)
        tags.update(_tags(config.get(f"{NAMESPACE}:defaultTags") if config else None))
        retry_mode = str(get("retryMode") or env.get("AWS_RETRY_MODE") or "standard")
        if retry_mode not in RETRY_MODES:
            raise ValueError(f"braket:retryMode must be one of {', '.join(RETRY_MODES)}")
        attempts = get("maxAttempts") or env.get("AWS_MAX_ATTEMPTS") or 10
        return cls(
            region=get("region") or env.get("AWS_REGION") or None,
            profile=get("profile"),
            endpoint_url=(config.get(f"{NAMESPACE}:endpoint") if config else None) or None,
            default_tags=tuple(sorted(tags.items())),
            retry_mode=retry_mode,
            max_attempts=int(attempts),
        )
