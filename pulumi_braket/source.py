"""Hybrid job source packed as the Braket SDK packs it, reproducibly, and stored by content."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from botocore.exceptions import BotoCoreError, ClientError

from pulumi_braket.errors import BraketError, describe, error_code
from pulumi_braket.wording import Field

KIND = "Job source"
BUCKET_KIND = "Job source bucket"
ARCHIVE_NAME = "source.tar.gz"
# Object metadata (x-amz-meta-source-sha256) holding Packed.sha256, so a second upload of the
# same content can be skipped after one HEAD.
SHA256_METADATA = "source-sha256"
# Hex digits of the content digest in the key: 64 bits keep keys readable, and a collision
# cannot go unnoticed because upload() compares the full digest stored with the object.
KEY_DIGEST_LENGTH = 16

# Left out of the archive wherever they appear below the source root (a root named
# explicitly is always packed). They are not code the job runs, and they change without the
# code changing: bytecode whenever the module is imported locally, VCS metadata on every
# commit, tool caches on every run, Finder metadata on every look. Packing them would make
# the digest, hence the key, hence the Job, change for nothing. The SDK packs them; a job
# never needs them (Python rebuilds bytecode).
SKIPPED_NAMES = frozenset(
    {
        "__pycache__",
        ".git",
        ".hg",
        ".svn",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".DS_Store",
    }
)
SKIPPED_SUFFIXES = (".pyc", ".pyo")

# Normalized modes: only "executable or not" survives from the file system, so a umask, a
# checkout tool or a chmod of group bits does not change the archive.
FILE_MODE = 0o644
EXECUTABLE_MODE = 0o755
DIRECTORY_MODE = 0o755
# The compression level tarfile's "w:gz" (the SDK's mode) uses.
COMPRESS_LEVEL = 9

# Opening with O_NOFOLLOW refuses a file swapped for a link after it was checked; O_NONBLOCK
# keeps a file swapped for a FIFO from blocking the provider forever.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

SourcePath = str | os.PathLike[str] | pulumi.FileArchive | pulumi.FileAsset


@dataclass(frozen=True)
class Packed:
    """A packed source module: the ``source.tar.gz`` bytes and what identifies them.

    ``sha256`` is the digest of the *uncompressed* tar stream, not of ``data``: the tar
    stream is fixed by this module alone, while deflate output may differ between zlib
    builds (zlib, zlib-ng, vendor patches), and the digest names the S3 key, so it must not
    change when the same code is packed on another machine.
    """

    data: bytes = field(repr=False)
    sha256: str
    # Every archive member name, directories included, in archive order.
    files: tuple[str, ...]
    # The one top-level member: the module directory's or the single file's name.
    top_level: str

    @property
    def default_entry_point(self) -> str:
        """What the SDK uses when no entry point is given: the top-level name's stem."""
        return Path(self.top_level).stem


def local_path(value: object) -> str:
    """The local file system path of a str, os.PathLike, FileArchive or FileAsset."""
    if isinstance(value, pulumi.FileArchive):
        path = str(value.path)
        # Pulumi treats a FileArchive of a file as a ready-made archive (.zip, .tar, ...);
        # Braket needs the code itself, packed in its own layout.
        if os.path.isfile(path):
            raise BraketError(
                f"pack Braket {KIND} (FileArchive {path}): a FileArchive of a file is an "
                "archive, not source code; give the source directory (FileArchive of a "
                "directory, or its path), or upload the archive yourself and pass "
                "algorithm_specification.script_mode_config.s3_uri"
            )
    elif isinstance(value, pulumi.FileAsset):
        path = str(value.path)
        if os.path.isdir(path):
            raise BraketError(
                f"pack Braket {KIND} (FileAsset {path}): is a directory; use FileArchive or "
                "the path for a directory"
            )
    elif isinstance(value, pulumi.Asset | pulumi.Archive):
        kind = type(value).__name__
        where = getattr(value, "uri", None)
        shown = f"{kind} {where}" if where else kind
        raise BraketError(
            f"pack Braket {KIND} ({shown}): a {kind} is not a local file; ",
            Field("source"),
            " must be a local directory or file (str, os.PathLike, FileArchive or FileAsset); "
            "for code already in S3 pass ",
            Field("algorithm_specification.script_mode_config.s3_uri"),
        )
    elif isinstance(value, str | os.PathLike):
        fspath = os.fspath(value)
        if not isinstance(fspath, str):
            raise BraketError(f"pack Braket {KIND} ({fspath!r}): give the path as text, not bytes")
        path = fspath
    else:
        raise BraketError(
            f"pack Braket {KIND} ({value!r}): a {type(value).__name__} is not a path; give a "
            "str, os.PathLike, FileArchive or FileAsset"
        )
    if not path:
        raise BraketError(f"pack Braket {KIND} (''): the path is empty")
    return path


def pack(path: SourcePath) -> Packed:
    """Pack a directory or a single file into a reproducible ``source.tar.gz``.

    The layout is the SDK's (``tarfile.add(resolved, arcname=resolved.name)``): the
    directory itself is the top-level member (``algo``, ``algo/run.py``, ...) in the order
    tarfile.add walks (each directory's entries sorted by name), and a single file is the
    only member. Like the SDK, the given path is resolved first, so a source path that is a
    link is packed under its target's name. Unlike the SDK, the result depends on content
    alone, nothing leaves the tree, and SKIPPED_NAMES are left out.
    """
    shown = local_path(path)
    if not os.path.isabs(shown) and ".." in Path(shown).parts:
        # Relative paths are read from the program's directory; `..` reaches outside it,
        # which is far more often a mistake than a plan. An absolute path says it is meant.
        raise BraketError(
            f"pack Braket {KIND} ({shown}): '..' in a relative source path leaves the "
            "program's directory; use a path inside it, or an absolute path"
        )
    try:
        root = Path(shown).resolve(strict=True)
    except FileNotFoundError:
        raise BraketError(f"pack Braket {KIND} ({shown}): no such file or directory") from None
    except (OSError, RuntimeError) as error:  # RuntimeError: a link loop, before 3.13
        raise BraketError(
            f"pack Braket {KIND} ({shown}): cannot resolve the path: {error}"
        ) from None
    if not root.name:
        raise BraketError(
            f"pack Braket {KIND} ({shown}): the file system root has no name to pack under"
        )
    return _Packer(shown, root).pack()


class _Packer:
    """One walk of a source tree into tar members, refusing whatever leaves it."""

    def __init__(self, shown: str, root: Path) -> None:
        self.shown = shown
        self.root = root
        self.members: list[tuple[tarfile.TarInfo, bytes]] = []

    def refuse(self, rule: str) -> BraketError:
        return BraketError(f"pack Braket {KIND} ({self.shown}): {rule}")

    def pack(self) -> Packed:
        try:
            self.add(self.root, self.root.name, os.stat(self.root), ())
        except OSError as error:
            # Unreadable files or directories; the rules in add() raise BraketError themselves.
            raise self.refuse(f"cannot read {error.filename}: {error.strerror}") from None
        raw = io.BytesIO()
        # PAX, the SDK's (tarfile's default) format; names are always written as UTF-8 so the
        # locale of the machine that packs does not change the bytes.
        with tarfile.open(
            fileobj=raw, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8"
        ) as tar:
            for info, content in self.members:
                tar.addfile(info, io.BytesIO(content) if info.isfile() else None)
        stream = raw.getvalue()
        return Packed(
            data=_gzip(stream),
            sha256=hashlib.sha256(stream).hexdigest(),
            files=tuple(info.name for info, _ in self.members),
            top_level=self.root.name,
        )

    def add(self, real: Path, name: str, status: os.stat_result, parents: tuple[Path, ...]) -> None:
        """Add ``real`` (a path with no links in it) as ``name``; ``parents`` are resolved dirs."""
        if stat.S_ISDIR(status.st_mode):
            self.members.append((_info(name, tarfile.DIRTYPE, DIRECTORY_MODE), b""))
            # sorted(os.listdir()) is what tarfile.add does, so the order matches the SDK's.
            for child in sorted(os.listdir(real)):
                if child in SKIPPED_NAMES or child.endswith(SKIPPED_SUFFIXES):
                    continue
                self.add_entry(real / child, f"{name}/{child}", (*parents, real))
        elif stat.S_ISREG(status.st_mode):
            content = self.read(real, name)
            mode = EXECUTABLE_MODE if status.st_mode & 0o111 else FILE_MODE
            self.members.append((_info(name, tarfile.REGTYPE, mode, len(content)), content))
        else:
            raise self.refuse(
                f"{name} is a {_kind(status.st_mode)}; only files and directories can be packed"
            )

    def add_entry(self, here: Path, name: str, parents: tuple[Path, ...]) -> None:
        status = os.lstat(here)
        if not stat.S_ISLNK(status.st_mode):
            self.add(here, name, status, parents)
            return
        # A link is packed as what it points to (the SDK's dereference=True), but only if
        # that is inside the tree: otherwise a link in a cloned repository could upload any
        # file of the machine, ~/.aws/credentials included.
        text = os.readlink(here)
        try:
            target = here.resolve(strict=True)
        except (OSError, RuntimeError):
            raise self.refuse(
                f"link {name} -> {text} does not resolve to an existing file"
            ) from None
        if target != self.root and self.root not in target.parents:
            raise self.refuse(f"link {name} -> {text} points outside the source tree")
        if target in parents or target == self.root:
            raise self.refuse(
                f"link {name} -> {text} points to a directory that contains it (a cycle)"
            )
        self.add(target, name, os.stat(target), parents)

    def read(self, real: Path, name: str) -> bytes:
        descriptor = os.open(real, _OPEN_FLAGS)
        with os.fdopen(descriptor, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise self.refuse(
                    f"{name} is a {_kind(mode)}; only files and directories can be packed"
                )
            return handle.read()


def _info(name: str, kind: bytes, mode: int, size: int = 0) -> tarfile.TarInfo:
    # Everything but name, type, exec bit and size is fixed: the same tree packs to the same
    # bytes on any machine, at any time, for any user.
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _gzip(stream: bytes) -> bytes:
    """A gzip member with mtime 0, no file name and a fixed OS byte.

    Built by hand: gzip.compress(mtime=0) lets zlib write the header, whose OS byte depends
    on the platform zlib was built for, and tarfile's "w:gz" stores the time and file name.
    """
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = compressor.compress(stream) + compressor.flush()
    # ID1 ID2, CM=deflate, FLG=0 (no name, no comment), MTIME=0, XFL=2 (best), OS=255 (unknown)
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x02\xff"
    trailer = struct.pack("<II", zlib.crc32(stream), len(stream) & 0xFFFFFFFF)
    return header + body + trailer


def content_key(packed: Packed, job_name: str | None = None, *, prefix: str | None = None) -> str:
    """The S3 key of ``packed``: ``jobs/{job_name}/script/{digest}/source.tar.gz``.

    The SDK uploads to ``jobs/{job_name}/{timestamp}/script/source.tar.gz``, a new key per
    call. Here the content digest stands in for the timestamp, so the key, and with it the
    job's ``script_mode_config.s3_uri``, changes exactly when the code does: the same code
    gives the same key and no diff; changed code gives a new key, which replaces the job,
    while the old job's source stays where it was. The digest sits below ``script/`` rather
    than in the timestamp's place because the SDK's timestamp names one run (its ``data``
    and ``checkpoints`` share it) and a digest names code that many runs may share.

    ``prefix`` replaces ``jobs/{job_name}/script``, as the SDK's ``code_location`` does.
    """
    if (job_name is None) == (prefix is None):
        raise BraketError(f"key of Braket {KIND}: give exactly one of job_name and prefix")
    if prefix is None:
        if not job_name or "/" in str(job_name):
            raise BraketError(
                f"key of Braket {KIND} ({job_name!r}): a job name is not empty and has no '/'"
            )
        prefix = f"jobs/{job_name}/script"
    base = prefix.strip("/")
    digest = packed.sha256[:KEY_DIGEST_LENGTH]
    return f"{base}/{digest}/{ARCHIVE_NAME}" if base else f"{digest}/{ARCHIVE_NAME}"


_S3_URI = re.compile(r"s3://([^/]+)/?(.*)")


def s3_uri(bucket: str, key: str) -> str:
    """``s3://bucket/key``, as AwsSession.construct_s3_uri (aws_session.py) joins them."""
    return f"s3://{bucket}/{key}"


def split_s3_uri(uri: str) -> tuple[str, str] | None:
    """``(bucket, key)`` of an ``s3://bucket/key`` URI, or None."""
    matched = _S3_URI.fullmatch(uri)
    return (matched.group(1), matched.group(2)) if matched else None


def default_bucket(region: str, account_id: str) -> str:
    """The SDK's default bucket: braket/aws/aws_session.py, AwsSession.default_bucket.

    The SDK also creates the bucket when it is missing; this only names it (a check must
    not create anything).
    """
    return f"amazon-braket-{region}-{account_id}"


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def upload(
    packed: Packed,
    bucket: str,
    key: str,
    s3_client: Any,
    *,
    content_type: str | None = "application/gzip",
) -> str:
    """Put ``packed`` at ``s3://bucket/key`` unless that object already holds this content.

    One HEAD, then a PUT only when needed, so re-running `pulumi up` uploads nothing. The
    bucket must exist: this creates nothing but the object (see ensure_bucket).
    """
    uri = s3_uri(bucket, key)
    try:
        found = s3_client.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        # 404: no such object (or bucket; the PUT says which). 403: a caller without
        # s3:ListBucket gets this for a missing object; the PUT decides if it may write.
        if _status(error) not in (403, 404):
            raise describe("upload", KIND, uri, error, operation="HeadObject") from None
        found = None
    except BotoCoreError as error:
        raise describe("upload", KIND, uri, error) from None
    if found is not None and found.get("Metadata", {}).get(SHA256_METADATA) == packed.sha256:
        return uri
    try:
        typed = {"ContentType": content_type} if content_type else {}
        s3_client.put_object(
            Bucket=bucket,
            Key=key,
            Body=packed.data,
            Metadata={SHA256_METADATA: packed.sha256},
            **typed,
        )
    except ClientError as error:
        if error_code(error) == "NoSuchBucket":
            raise BraketError(
                f"upload Braket {KIND} ({uri}): NoSuchBucket: bucket {bucket} does not exist; "
                f"create it (aws s3 mb s3://{bucket}, or pulumi_braket.source.ensure_bucket) "
                "or choose an existing bucket"
            ) from None
        if error_code(error) == "AccessDenied":
            raise BraketError(
                f"upload Braket {KIND} ({uri}): AccessDenied: the caller needs s3:PutObject "
                f"on arn:aws:s3:::{bucket}/{key}"
            ) from None
        raise describe("upload", KIND, uri, error, operation="PutObject") from None
    except BotoCoreError as error:
        raise describe("upload", KIND, uri, error) from None
    return uri


def upload_tree(packed: Packed, bucket: str, prefix: str, s3_client: Any) -> str:
    """Put every file of ``packed`` under ``s3://bucket/prefix/``, as the SDK uploads input data.

    A job reads an input channel as files, not as an archive, so the members are stored one
    by one (``prefix/<top level>/<path>``); ``prefix`` holds the content digest, so a file
    already there with the same digest is this content and is skipped.
    """
    with tarfile.open(fileobj=io.BytesIO(packed.data), mode="r:gz") as tar:
        for info in tar.getmembers():
            if not info.isfile():
                continue
            handle = tar.extractfile(info)
            content = handle.read() if handle is not None else b""
            member = Packed(
                data=content,
                sha256=hashlib.sha256(content).hexdigest(),
                files=(info.name,),
                top_level=info.name,
            )
            upload(member, bucket, f"{prefix}/{info.name}", s3_client, content_type=None)
    return s3_uri(bucket, f"{prefix}/{packed.top_level}")


def ensure_bucket(bucket: str, s3_client: Any, region: str | None = None) -> bool:
    """Create ``bucket`` in ``region`` (default: the client's) unless it exists; True if created.

    What the SDK does for ``amazon-braket-{region}-{account}``, with a HEAD first so a caller
    without s3:CreateBucket can still use a bucket that exists.
    """
    where = region or str(s3_client.meta.region_name)
    identity = bucket
    try:
        s3_client.head_bucket(Bucket=bucket)
        return False
    except ClientError as error:
        # 403: it exists but is not listable by us, or we may not list; CreateBucket tells
        # whether it is ours (BucketAlreadyOwnedByYou) or someone else's.
        if _status(error) not in (403, 404):
            raise describe("create", BUCKET_KIND, identity, error, operation="HeadBucket") from None
    except BotoCoreError as error:
        raise describe("create", BUCKET_KIND, identity, error) from None
    # us-east-1 is S3's default location and refuses to be named as a LocationConstraint;
    # every other region must be named, or S3 answers IllegalLocationConstraintException.
    location = (
        {} if where == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": where}}
    )
    try:
        s3_client.create_bucket(Bucket=bucket, **location)
    except ClientError as error:
        code = error_code(error)
        message = str(error.response.get("Error", {}).get("Message", ""))
        # Created meanwhile by us (another resource, another run): as good as created. The
        # SDK accepts the same two answers.
        if code == "BucketAlreadyOwnedByYou" or (
            code == "OperationAborted" and "conflicting conditional operation" in message
        ):
            return False
        if code == "BucketAlreadyExists":
            raise BraketError(
                f"create Braket {BUCKET_KIND} ({identity}): BucketAlreadyExists: another AWS "
                "account owns this name; choose another bucket name"
            ) from None
        raise describe("create", BUCKET_KIND, identity, error, operation="CreateBucket") from None
    except BotoCoreError as error:
        raise describe("create", BUCKET_KIND, identity, error) from None
    return True
