"""Errors users can act on: one line naming the action, the resource, the cause and a hint."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from pulumi_braket.wording import Field, Words


class BraketError(Exception):
    """An expected failure; its text is all the user needs.

    Its message is kept as Words, so the inputs it names are spelled by the host that shows
    it (``str()`` is the Python spelling; the native plugin spells them as its schema does).
    """

    def __init__(self, *parts: str | Field | BaseException) -> None:
        self.words = Words(*parts)
        super().__init__(str(self.words))


# The dynamic provider host prints `module.Class: message`; builtins are printed bare,
# so the user reads `BraketError: create Braket Job (...)` rather than a module path.
BraketError.__module__ = "builtins"

_HINTS = {
    "AccessDeniedException": "the caller's credentials lack braket:{operation}{role}",
    "DeviceOfflineException": "the device is OFFLINE; wait until it is ONLINE or choose another",
    "DeviceRetiredException": "the device is RETIRED; choose another device",
    "ServiceQuotaExceededException": (
        "a Braket service quota is reached; wait for running jobs or request an increase in "
        "Service Quotas"
    ),
    "ThrottlingException": (
        "still throttled after every retry; raise braket:maxAttempts or lower --parallel"
    ),
    "ConflictException": "the resource's current state does not allow this",
}


def describe(
    action: str,
    kind: str,
    identity: str,
    error: Exception,
    *,
    operation: str = "",
    role_arn: str | None = None,
) -> BraketError:
    """A botocore failure as ``<action> Braket <kind> (<identity>): <code>: <message>; <hint>``."""
    head = f"{action} Braket {kind} ({identity})"
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "Unknown")
        message = error.response.get("Error", {}).get("Message", str(error))
        hint = _HINTS.get(code, "")
        if hint:
            role = f" or iam:PassRole on {role_arn}" if role_arn else ""
            hint = "; " + hint.format(operation=operation or "*", role=role)
        return BraketError(f"{head}: {code}: {message}{hint}")
    if isinstance(error, NoCredentialsError):
        return BraketError(
            f"{head}: no AWS credentials found; set AWS_PROFILE, aws:profile or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(error, NoRegionError):
        return BraketError(
            f"{head}: no region; set braket:region or aws:region in stack config, or AWS_REGION"
        )
    if isinstance(error, ProfileNotFound):
        return BraketError(f"{head}: {error}; check aws:profile or AWS_PROFILE")
    if isinstance(error, EndpointConnectionError):
        return BraketError(f"{head}: cannot reach the Braket endpoint: {error}")
    if isinstance(error, BotoCoreError):
        return BraketError(f"{head}: {error}")
    return BraketError(f"{head}: {type(error).__name__}: {error}")


def error_code(error: Exception) -> str | None:
    """The AWS error code of a ClientError, else None."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code"))
    return None
