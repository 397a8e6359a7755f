"""The defaults that need the network: the caller's account (STS) and the jobs role (IAM)."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Final

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from pulumi_braket import shapes
from pulumi_braket.client import client
from pulumi_braket.errors import BraketError
from pulumi_braket.settings import ProviderSettings
from pulumi_braket.wording import Field

_accounts_lock = threading.Lock()
_accounts: dict[ProviderSettings, str] = {}


def cause(error: Exception) -> str:
    if isinstance(error, ClientError):
        detail = error.response.get("Error", {})
        return f"{detail.get('Code', 'Unknown')}: {detail.get('Message', str(error))}"
    if isinstance(error, NoCredentialsError):
        return (
            "no AWS credentials found; set AWS_PROFILE, aws:profile or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(error, NoRegionError):
        return "no region; set braket:region or aws:region in stack config, or AWS_REGION"
    return str(error)


def account_id(settings: ProviderSettings) -> str:
    """The caller's account from STS GetCallerIdentity, once per settings and process.

    As AwsSession.account_id (braket/aws/aws_session.py) asks STS and keeps the answer.
    """
    found = _accounts.get(settings)
    if found is not None:
        return found
    try:
        answer = client(settings, "sts").get_caller_identity()
    except (ClientError, BotoCoreError) as error:
        raise BraketError(f"account: STS GetCallerIdentity failed: {cause(error)}") from None
    account = str(answer["Account"])
    with _accounts_lock:
        _accounts[settings] = account
    return account


# -- role -----------------------------------------------------------------------------------

# quantum_job_creation.py, prepare_quantum_job: the role argument, else this variable, else
# AwsSession.get_default_jobs_role (aws_session.py): the first role listed by IAM ListRoles
# under PathPrefix "/service-role/" whose RoleName starts with the prefix below, as the
# Braket console creates it. Two differences, both deliberate: the SDK evaluates the IAM
# lookup even when the variable is set (os.getenv's default argument) and we only look up
# what is missing; and an empty variable counts as unset here rather than as role "".
ROLE_ENV: Final = "BRAKET_JOBS_ROLE_ARN"
ROLE_PATH_PREFIX: Final = "/service-role/"
ROLE_NAME_PREFIX: Final = "AmazonBraketJobsExecutionRole"
ROLE_SHAPE: Final = "RoleArn"


def find_role(
    explicit: str | None, settings: ProviderSettings, environ: Mapping[str, str]
) -> tuple[str, str]:
    """The role ARN and where it came from."""
    if explicit:
        return explicit, "the role argument"
    from_env = environ.get(ROLE_ENV, "")
    if from_env:
        problems = shapes.validate_value(ROLE_SHAPE, from_env)
        if problems:
            raise BraketError(
                f"role: {ROLE_ENV} is {from_env!r}, not an IAM role ARN "
                f"({problems[0].rule}); fix it, unset it, or pass ",
                Field("role_arn"),
            )
        return from_env, f"from {ROLE_ENV}"
    head = f"role: no role argument, {ROLE_ENV} unset, and"
    try:
        pages = client(settings, "iam").get_paginator("list_roles")
        for page in pages.paginate(PathPrefix=ROLE_PATH_PREFIX):
            for role in page.get("Roles", []):
                if str(role["RoleName"]).startswith(ROLE_NAME_PREFIX):
                    return (
                        str(role["Arn"]),
                        f"IAM lookup: first role {ROLE_NAME_PREFIX}* under {ROLE_PATH_PREFIX}",
                    )
    except (ClientError, BotoCoreError) as error:
        raise BraketError(
            f"{head} IAM ListRoles under {ROLE_PATH_PREFIX} failed: {cause(error)}; pass ",
            Field("role_arn"),
            ", set BRAKET_JOBS_ROLE_ARN, or allow iam:ListRoles",
        ) from None
    try:
        where = f"account {account_id(settings)}"
    except BraketError:
        where = "this account"
    raise BraketError(
        f"{head} IAM has no role named {ROLE_NAME_PREFIX}* under {ROLE_PATH_PREFIX} in "
        f"{where}; create it in the Braket console or pass ",
        Field("role_arn"),
    )


def resolve_role(
    explicit: str | None,
    settings: ProviderSettings,
    environ: Mapping[str, str] = os.environ,
) -> str:
    """The job's execution role: the argument, else $BRAKET_JOBS_ROLE_ARN, else an IAM lookup.

    Only the lookups needed are made: an argument or the variable never reach IAM.
    """
    return find_role(explicit, settings, environ)[0]
