"""Who the local service knows: its user's key pair, kept with its state, and each job's session."""

from __future__ import annotations

import configparser
import contextlib
import dataclasses
import os
import secrets
import stat
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The pair moto and the AWS documentation use in examples: anyone may guess it.
WELL_KNOWN = ("testing", "testing")
# Where the key pair lives when the service keeps no state of its own (no --db, no --data-dir).
STATE_HOME_DIR = "pulumi-braket-local"
FILE_NAME = "credentials"
ENV_ACCESS_KEY = "PULUMI_BRAKET_LOCAL_ACCESS_KEY_ID"
ENV_SECRET_KEY = "PULUMI_BRAKET_LOCAL_SECRET_ACCESS_KEY"
# Key ids look like AWS's (20 upper-case characters) but cannot be mistaken for real ones:
# AWS's start with AKIA (long-term) or ASIA (temporary).
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SERVICE_KEY_PREFIX = "LBKA"
JOB_KEY_PREFIX = "LBSA"


class CredentialsError(Exception):
    """The service's key pair cannot be used as given or as stored."""


@dataclass(frozen=True)
class KeyPair:
    """An access key id and its secret."""

    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:  # never the secret, even in a traceback
        return f"KeyPair({self.access_key_id!r}, <secret>)"

    @property
    def well_known(self) -> bool:
        return (self.access_key_id, self.secret_access_key) == WELL_KNOWN


@dataclass(frozen=True)
class ServiceCredentials:
    """The service user's pair, and where it came from (a file, or flags and environment)."""

    pair: KeyPair
    path: Path | None
    created: bool = False

    def describe(self) -> str:
        if self.path is None:
            source = "given explicitly (flags or PULUMI_BRAKET_LOCAL_* variables)"
        else:
            verb = "created now" if self.created else "kept"
            source = f"{verb} in {self.path} (readable by you only)"
        if self.pair.well_known:
            return (
                f"Credentials: the well-known test pair testing/testing, {source}: anyone who "
                "can reach this port can guess them"
            )
        return f"Credentials: {source}"


@dataclass(frozen=True)
class Identity:
    """A caller the service knows: who, with which secret and session token, for which account."""

    access_key_id: str
    secret_access_key: str
    token: str | None
    kind: str  # service, job, iam or sts
    account: str | None = None
    job_arn: str | None = None
    expired: bool = False
    # The IAM user of a key made through the endpoint's IAM.
    user: str | None = None


def explicit_pair(
    access_key_id: str | None, secret_access_key: str | None, environ: Mapping[str, str]
) -> KeyPair | None:
    """The pair named by flags, else by the environment; None when neither names one."""
    key = access_key_id or environ.get(ENV_ACCESS_KEY)
    secret = secret_access_key or environ.get(ENV_SECRET_KEY)
    if not key and not secret:
        return None
    if not key or not secret:
        raise CredentialsError(
            "give both an access key id and a secret (--access-key-id and --secret-access-key, "
            f"or {ENV_ACCESS_KEY} and {ENV_SECRET_KEY}), or neither to use generated ones"
        )
    return KeyPair(key, secret)


def default_path(db: str | None, data_dir: str | None, environ: Mapping[str, str]) -> Path:
    """The credentials file: in the data directory (given, or DB.data), else the user's state."""
    if data_dir:
        return Path(data_dir) / FILE_NAME
    if db:
        return Path(db + ".data") / FILE_NAME
    home = environ.get("XDG_STATE_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "state")
    return Path(home).expanduser() / STATE_HOME_DIR / FILE_NAME


def load_or_create(path: Path) -> ServiceCredentials:
    """The pair stored at ``path``, made (mode 0600) on first use; refused if others can read it."""
    created = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pair = KeyPair(new_key_id(SERVICE_KEY_PREFIX), secrets.token_urlsafe(30))
        created = _write_new(path, pair)
    pair = _read(path)
    return ServiceCredentials(pair, path, created)


def new_key_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(20 - len(prefix)))


def _write_new(path: Path, pair: KeyPair) -> bool:
    """Write once, atomically: two services starting together agree on the first pair."""
    text = (
        "# The local Braket service's credentials (pulumi-braket-local). Also usable as\n"
        "# AWS_SHARED_CREDENTIALS_FILE. Delete this file to get a new pair at the next start.\n"
        "[default]\n"
        f"aws_access_key_id = {pair.access_key_id}\n"
        f"aws_secret_access_key = {pair.secret_access_key}\n"
    )
    draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        try:
            os.link(draft, path)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(draft)


def _read(path: Path) -> KeyPair:
    info = path.stat()
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"{path} is readable by others (mode {stat.S_IMODE(info.st_mode):04o}); "
            f"run chmod 600 {path}, or delete it to get a new pair"
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CredentialsError(f"{path} belongs to another user (uid {info.st_uid})")
    parser = configparser.ConfigParser()
    parser.read(path)
    try:
        section = parser["default"]
        return KeyPair(section["aws_access_key_id"], section["aws_secret_access_key"])
    except KeyError:
        raise CredentialsError(
            f"{path} has no [default] aws_access_key_id and aws_secret_access_key; "
            "delete it to get a new pair"
        ) from None


@dataclass
class _Session:
    identity: Identity
    ended: float | None = None


class Keyring:
    """Every identity the service accepts: its user, the running jobs, and IAM or STS keys.

    A job's session is issued as its code starts and ends with it, as an IAM role session
    given to a job container would: a request signed with it afterwards is refused as expired.
    Keys created through the IAM or STS the endpoint serves (moto) are honoured as AWS honours
    them, so a test can act as a second user.
    """

    def __init__(self, service: KeyPair, account: Callable[[], str]) -> None:
        self.service = service
        self._account = account
        self._sessions: dict[str, _Session] = {}
        self._by_job: dict[str, str] = {}
        self._lock = threading.Lock()

    def lookup(self, access_key_id: str) -> Identity | None:
        if access_key_id == self.service.access_key_id:
            return Identity(
                self.service.access_key_id,
                self.service.secret_access_key,
                None,
                "service",
                self._account(),
            )
        with self._lock:
            session = self._sessions.get(access_key_id)
        if session is not None:
            if session.ended is None:
                return session.identity
            return dataclasses.replace(session.identity, expired=True)
        return _moto_identity(access_key_id)

    def issue_job_session(self, job_arn: str) -> Identity:
        """New temporary credentials for one job's code, valid until ``end_job_session``."""
        account = job_arn.split(":")[4] or self._account()
        identity = Identity(
            new_key_id(JOB_KEY_PREFIX),
            secrets.token_urlsafe(30),
            secrets.token_urlsafe(96),
            "job",
            account,
            job_arn,
        )
        with self._lock:
            old = self._by_job.pop(job_arn, None)
            if old is not None:
                self._sessions[old].ended = time.time()
            self._sessions[identity.access_key_id] = _Session(identity)
            self._by_job[job_arn] = identity.access_key_id
        return identity

    def end_job_session(self, job_arn: str) -> None:
        with self._lock:
            key = self._by_job.pop(job_arn, None)
            if key is not None:
                self._sessions[key].ended = time.time()


def _moto_identity(access_key_id: str) -> Identity | None:
    """An active key created through the endpoint's IAM, or an unexpired STS session.

    Only when moto's IAM is loaded: if no request ever reached it, no such key exists, and an
    unknown key (a stranger's guess) must not cost an import.
    """
    iam = sys.modules.get("moto.iam.models")
    if iam is None:
        return None
    for account, backend in _backends(iam.iam_backends):
        key = backend.access_keys.get(access_key_id)
        if key is None:
            continue
        if key.role_arn is not None:
            return _sts_identity(access_key_id, key.secret_access_key, account)
        # AWS treats an inactive key as an unknown one.
        if key.status != "Active":
            return None
        return Identity(
            access_key_id, key.secret_access_key, None, "iam", account, user=key.user_name
        )
    return None


def _sts_identity(access_key_id: str, secret: str, account: str) -> Identity | None:
    sts = sys.modules.get("moto.sts.models")
    if sts is None:
        return None
    for _, backend in _backends(sts.sts_backends):
        for role in list(backend.assumed_roles):
            if role.access_key_id == access_key_id:
                expiration = role.expiration
                if expiration.tzinfo is None:
                    expiration = expiration.replace(tzinfo=UTC)
                expired = expiration <= datetime.now(UTC)
                return Identity(
                    access_key_id, secret, role.session_token, "sts", account, expired=expired
                )
    return None


def _backends(by_account: Any) -> list[tuple[str, Any]]:
    """moto's backends that exist, per account and partition, without creating any."""
    # dict.values: an account's own __getitem__ would create a partition's backend on lookup.
    return [
        (account, backend)
        for account, partitions in list(by_account.items())
        for backend in list(dict.values(partitions))
    ]
