"""Source packing, content keys and uploads, against the Braket SDK and the local service's S3."""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import re
import socket
import tarfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pulumi
import pytest
from braket.aws import AwsSession
from braket.jobs.quantum_job_creation import prepare_quantum_job

from pulumi_braket.errors import BraketError
from pulumi_braket.source import (
    SHA256_METADATA,
    Packed,
    content_key,
    default_bucket,
    ensure_bucket,
    local_path,
    pack,
    upload,
)
from tests.conftest import Service

REGION = "us-east-1"
ACCOUNT = "123456789012"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/AmazonBraketJobsExecutionRole"
SKIPPED = re.compile(r"(^|/)(__pycache__|\.git|\.DS_Store)(/|$)|\.pyc$")


# -- helpers ----------------------------------------------------------------------------------


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def write(path: Path, text: str = "", mode: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mode is not None:
        path.chmod(mode)
    return path


def make_tree(parent: Path, name: str = "algo") -> Path:
    """A module with nesting, an empty directory, an executable and names that sort trickily."""
    root = parent / name
    write(root / "__init__.py", "")
    write(root / "run.py", "def main() -> None:\n    print('run')\n")
    write(root / "sub.py", "X = 1\n")  # "sub.py" sorts after "sub/..." in a walk, not a sort
    write(root / "sub" / "x.py", "Y = 2\n")
    write(root / "B.txt", "upper case sorts first\n")
    write(root / "tool.sh", "#!/bin/sh\necho hi\n", mode=0o755)
    (root / "empty").mkdir()
    return root


def members(packed: Packed) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(packed.data), mode="r:gz") as archive:
        return archive.getmembers()


def contents(data: bytes) -> dict[str, tuple[str, bytes]]:
    """Each member of a .tar.gz by name: its kind and, for files, its bytes."""
    found: dict[str, tuple[str, bytes]] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            extracted = archive.extractfile(member) if member.isfile() else None
            kind = "dir" if member.isdir() else "file" if member.isfile() else "other"
            found[member.name] = (kind, extracted.read() if extracted else b"")
    return found


def counted(client: Any) -> Counter[str]:
    """Count the API calls ``client`` makes, by operation, with botocore's own event hook."""
    calls: Counter[str] = Counter()

    def record(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.s3.*", record)
    return calls


def refusal(action: Callable[[], Any]) -> str:
    with pytest.raises(BraketError) as raised:
        action()
    return str(raised.value)


@pytest.fixture
def s3(shared_service: Service) -> Any:
    return shared_service.client("s3", region=REGION)


@pytest.fixture
def bucket(s3: Any) -> str:
    name = unique("source")
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def sdk_session(
    shared_service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[AwsSession]:
    """A Braket SDK session that reaches only the local service, with an empty HOME."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "BRAKET_", "AMZN_BRAKET_")):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name, value in shared_service.environment(REGION).items():
        monkeypatch.setenv(name, value)
    yield AwsSession(boto_session=boto3.Session(region_name=REGION))


def sdk_upload(session: AwsSession, source: Path, s3: Any) -> tuple[str, bytes]:
    """What the SDK's own job preparation uploads for ``source``: its S3 URI and bytes."""
    request = prepare_quantum_job(
        device=SV1,
        source_module=str(source),
        job_name=unique("sdk"),
        role_arn=ROLE,
        aws_session=session,
    )
    uri = request["algorithmSpecification"]["scriptModeConfig"]["s3Uri"]
    bucket_name, key = uri.removeprefix("s3://").split("/", 1)
    return uri, s3.get_object(Bucket=bucket_name, Key=key)["Body"].read()


# -- pack: reproducible -------------------------------------------------------------------------


def test_pack_twice_gives_identical_bytes_and_sha256(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    first, second = pack(root), pack(root)
    assert first.data == second.data
    assert first.sha256 == second.sha256
    assert first == second


def test_pack_ignores_mtimes_and_permission_bits_other_than_exec(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    before = pack(root)
    for index, path in enumerate(sorted(root.rglob("*"))):
        os.utime(path, (1_000_000 + index, 2_000_000_000 - index))
        if path.is_dir():
            path.chmod(0o700)
        elif path.name == "tool.sh":
            path.chmod(0o700)  # still executable
        else:
            path.chmod(0o600 if index % 2 else 0o664)
    os.utime(root, (5, 5))
    assert pack(root).data == before.data


def test_pack_ignores_file_creation_order(tmp_path: Path) -> None:
    names = ["b.py", "a.py", "c/d.py", "c/a.py", "0.py"]
    forward = tmp_path / "forward" / "algo"
    backward = tmp_path / "backward" / "algo"
    for name in names:
        write(forward / name, name)
    for name in reversed(names):
        write(backward / name, name)
    assert pack(forward).data == pack(backward).data


def test_pack_content_change_changes_sha256_and_key(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    before = pack(root)
    write(root / "sub" / "x.py", "Y = 3\n")
    after = pack(root)
    assert after.sha256 != before.sha256
    assert content_key(after, "vqe") != content_key(before, "vqe")


def test_pack_exec_bit_is_kept_and_changes_sha256(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    before = pack(root)
    (root / "run.py").chmod(0o755)
    after = pack(root)
    assert after.sha256 != before.sha256
    modes = {member.name: member.mode for member in members(after)}
    assert modes["algo/run.py"] == 0o755
    assert modes["algo/sub.py"] == 0o644


def test_pack_members_and_gzip_header_carry_no_machine_state(tmp_path: Path) -> None:
    packed = pack(make_tree(tmp_path))
    for member in members(packed):
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (
            0,
            0,
            0,
            "",
            "",
        ), member.name
        expected = 0o755 if member.isdir() or member.name.endswith(".sh") else 0o644
        assert member.mode == expected, member.name
    # gzip: deflate, no flags (so no file name), mtime 0, best compression, OS unknown.
    assert packed.data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    # The digest is of the tar stream, so another zlib build cannot change the key.
    assert packed.sha256 == hashlib.sha256(gzip.decompress(packed.data)).hexdigest()


# -- pack: layout -------------------------------------------------------------------------------


def test_pack_directory_layout_matches_sdk(
    sdk_session: AwsSession, s3: Any, tmp_path: Path
) -> None:
    root = make_tree(tmp_path / "src", unique("algo").replace("-", "_"))
    write(root / "__pycache__" / "run.cpython-311.pyc", "bytecode")
    (root / "alias.py").symlink_to("run.py")  # the SDK dereferences links, as pack does
    uri, sdk_data = sdk_upload(sdk_session, root, s3)
    # The layout pulumi_braket.source.content_key cites: jobs/{name}/{timestamp}/script/...
    assert re.fullmatch(
        rf"s3://amazon-braket-{REGION}-{ACCOUNT}/jobs/sdk-\w+/\d+/script/source\.tar\.gz", uri
    )

    packed = pack(root)
    sdk = contents(sdk_data)
    # Same members in the same order, except what pack skips on purpose.
    assert packed.files == tuple(name for name in sdk if not SKIPPED.search(name))
    assert f"{root.name}/__pycache__/run.cpython-311.pyc" in sdk
    ours = contents(packed.data)
    assert ours == {name: sdk[name] for name in packed.files}
    assert packed.top_level == root.name
    assert packed.files[:3] == (root.name, f"{root.name}/B.txt", f"{root.name}/__init__.py")
    assert packed.files.index(f"{root.name}/sub/x.py") < packed.files.index(f"{root.name}/sub.py")
    assert ours[f"{root.name}/alias.py"] == ("file", (root / "run.py").read_bytes())
    assert ours[f"{root.name}/empty"] == ("dir", b"")


def test_pack_single_file_layout_matches_sdk(
    sdk_session: AwsSession, s3: Any, tmp_path: Path
) -> None:
    name = unique("run").replace("-", "_")
    source = write(tmp_path / "src" / f"{name}.py", "def main() -> None:\n    pass\n")
    _, sdk_data = sdk_upload(sdk_session, source, s3)
    packed = pack(source)
    assert packed.files == (f"{name}.py",)
    assert contents(packed.data) == contents(sdk_data)


def test_pack_single_file_is_the_only_top_level_member(tmp_path: Path) -> None:
    source = write(tmp_path / "run.py", "print('hi')\n")
    packed = pack(source)
    assert packed.files == ("run.py",)
    assert packed.top_level == "run.py"
    assert packed.default_entry_point == "run"
    assert contents(packed.data) == {"run.py": ("file", b"print('hi')\n")}


def test_pack_directory_default_entry_point_is_its_name(tmp_path: Path) -> None:
    assert pack(make_tree(tmp_path)).default_entry_point == "algo"


def test_pack_source_path_link_is_named_after_its_target_like_sdk(tmp_path: Path) -> None:
    # The SDK resolves source_module before tarring, so the archive uses the target's name.
    target = make_tree(tmp_path, "real_algo")
    (tmp_path / "algo").symlink_to(target)
    packed = pack(tmp_path / "algo")
    assert packed.top_level == "real_algo"
    assert packed.files[0] == "real_algo"


# -- pack: skipped and followed ------------------------------------------------------------------


def test_pack_skips_bytecode_vcs_caches_and_finder_files(tmp_path: Path) -> None:
    clean = make_tree(tmp_path / "clean")
    noisy = make_tree(tmp_path / "noisy")
    write(noisy / "__pycache__" / "run.cpython-311.pyc", "bytecode")
    write(noisy / "sub" / "__pycache__" / "x.cpython-311.pyc", "bytecode")
    write(noisy / "stray.pyc", "bytecode")
    write(noisy / "old.pyo", "bytecode")
    write(noisy / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(noisy / "sub" / ".git", "gitdir: ../.git/worktrees/sub\n")  # a worktree's .git file
    write(noisy / ".DS_Store", "finder")
    write(noisy / ".pytest_cache" / "v" / "cache", "{}")
    write(noisy / ".mypy_cache" / "3.11" / "x.json", "{}")
    write(noisy / ".ruff_cache" / "CACHEDIR.TAG", "tag")
    packed = pack(noisy)
    assert packed.files == pack(clean).files
    assert packed.sha256 == pack(clean).sha256
    # Other dot files are code or data the job may read.
    write(noisy / ".env.example", "A=1\n")
    assert "algo/.env.example" in pack(noisy).files


def test_pack_skipped_name_given_as_root_is_packed(tmp_path: Path) -> None:
    source = write(tmp_path / "compiled.pyc", "bytecode")
    assert pack(source).files == ("compiled.pyc",)


def test_pack_file_link_inside_tree_is_stored_as_regular_file(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / "sub" / "alias.sh").symlink_to("../tool.sh")
    packed = pack(root)
    member = {m.name: m for m in members(packed)}["algo/sub/alias.sh"]
    assert member.isfile()
    assert member.mode == 0o755  # the target's exec bit
    assert contents(packed.data)["algo/sub/alias.sh"] == ("file", (root / "tool.sh").read_bytes())


def test_pack_directory_link_inside_tree_is_followed(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / "lib").symlink_to("sub")
    packed = pack(root)
    assert "algo/lib" in packed.files
    assert contents(packed.data)["algo/lib/x.py"] == ("file", b"Y = 2\n")


# -- pack: refused ------------------------------------------------------------------------------


def test_pack_link_to_file_outside_tree_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / "data").symlink_to("/etc/passwd")
    assert refusal(lambda: pack(root)) == (
        f"pack Braket Job source ({root}): link algo/data -> /etc/passwd points outside the "
        "source tree"
    )


def test_pack_relative_link_to_directory_outside_tree_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    write(tmp_path / "shared" / "secret.txt", "secret")
    (root / "sub" / "shared").symlink_to("../../shared")
    assert refusal(lambda: pack(root)) == (
        f"pack Braket Job source ({root}): link algo/sub/shared -> ../../shared points outside "
        "the source tree"
    )


def test_pack_link_chain_leaving_tree_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    secret = write(tmp_path / "secret.txt", "secret")
    (root / "b.txt").symlink_to(secret)
    (root / "a.txt").symlink_to("b.txt")
    assert refusal(lambda: pack(root)) == (
        f"pack Braket Job source ({root}): link algo/a.txt -> b.txt points outside the source tree"
    )


@pytest.mark.parametrize("target", ["..", "."])
def test_pack_link_to_containing_directory_is_refused(tmp_path: Path, target: str) -> None:
    root = make_tree(tmp_path)
    (root / "sub" / "loop").symlink_to(target)
    assert refusal(lambda: pack(root)) == (
        f"pack Braket Job source ({root}): link algo/sub/loop -> {target} points to a directory "
        "that contains it (a cycle)"
    )


def test_pack_dangling_link_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / "gone.py").symlink_to("missing.py")
    assert refusal(lambda: pack(root)) == (
        f"pack Braket Job source ({root}): link algo/gone.py -> missing.py does not resolve to "
        "an existing file"
    )


def test_pack_parent_steps_in_relative_path_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path)
    (tmp_path / "project").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    for given in ("../algo", "sub/../../algo"):
        assert refusal(functools.partial(pack, given)) == (
            f"pack Braket Job source ({given}): '..' in a relative source path leaves the "
            "program's directory; use a path inside it, or an absolute path"
        )
    # An absolute path is an explicit choice, and packs under the resolved name.
    assert pack(str(tmp_path / "project" / ".." / "algo")).top_level == "algo"


def test_pack_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    os.mkfifo(root / "pipe")
    assert refusal(lambda: pack(root)) == (
        f"pack Braket Job source ({root}): algo/pipe is a FIFO; only files and directories "
        "can be packed"
    )
    assert refusal(lambda: pack(root / "pipe")) == (
        f"pack Braket Job source ({root / 'pipe'}): pipe is a FIFO; only files and directories "
        "can be packed"
    )


def test_pack_socket_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(root / "sock"))
        assert refusal(lambda: pack(root)) == (
            f"pack Braket Job source ({root}): algo/sock is a socket; only files and "
            "directories can be packed"
        )


def test_pack_link_to_fifo_inside_tree_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    os.mkfifo(root / "pipe")
    (root / "sub" / "feed").symlink_to("../pipe")
    # Entries are walked in order: algo/pipe itself is met before algo/sub/feed.
    assert "algo/pipe is a FIFO" in refusal(lambda: pack(root))
    (root / "pipe").unlink()
    os.mkfifo(root / "sub" / "pipe")
    (root / "sub" / "feed").unlink()
    (root / "feed").symlink_to("sub/pipe")
    assert "algo/feed is a FIFO" in refusal(lambda: pack(root))


def test_pack_missing_path_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert refusal(lambda: pack(missing)) == (
        f"pack Braket Job source ({missing}): no such file or directory"
    )


# -- content_key --------------------------------------------------------------------------------


def test_content_key_is_sdk_layout_keyed_by_digest(tmp_path: Path) -> None:
    packed = pack(make_tree(tmp_path))
    assert content_key(packed, "vqe") == f"jobs/vqe/script/{packed.sha256[:16]}/source.tar.gz"
    assert content_key(packed, "vqe") == content_key(pack(tmp_path / "algo"), "vqe")


def test_content_key_prefix_replaces_jobs_name_script(tmp_path: Path) -> None:
    packed = pack(make_tree(tmp_path))
    digest = packed.sha256[:16]
    assert content_key(packed, prefix="/team/code/") == f"team/code/{digest}/source.tar.gz"
    assert content_key(packed, prefix="") == f"{digest}/source.tar.gz"


def test_content_key_refuses_bad_arguments(tmp_path: Path) -> None:
    packed = pack(make_tree(tmp_path))
    assert "a job name is not empty and has no '/'" in refusal(lambda: content_key(packed, "a/b"))
    assert "exactly one of job_name and prefix" in refusal(lambda: content_key(packed))
    assert "exactly one of job_name and prefix" in refusal(
        lambda: content_key(packed, "vqe", prefix="p")
    )


# -- upload -------------------------------------------------------------------------------------


def test_upload_puts_archive_with_sha256_metadata(tmp_path: Path, s3: Any, bucket: str) -> None:
    packed = pack(make_tree(tmp_path))
    key = content_key(packed, unique("job"))
    assert upload(packed, bucket, key, s3) == f"s3://{bucket}/{key}"
    stored = s3.get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == packed.data
    assert stored["Metadata"] == {SHA256_METADATA: packed.sha256}
    assert stored["ContentType"] == "application/gzip"


def test_upload_same_content_again_skips_put(tmp_path: Path, s3: Any, bucket: str) -> None:
    packed = pack(make_tree(tmp_path))
    key = content_key(packed, unique("job"))
    calls = counted(s3)
    upload(packed, bucket, key, s3)
    assert calls == {"HeadObject": 1, "PutObject": 1}
    first = s3.head_object(Bucket=bucket, Key=key)
    calls.clear()

    # Packed again from disk: equal content, so one HEAD and no PUT.
    assert upload(pack(tmp_path / "algo"), bucket, key, s3) == f"s3://{bucket}/{key}"
    assert calls == {"HeadObject": 1}
    second = s3.head_object(Bucket=bucket, Key=key)
    assert (second["ETag"], second["LastModified"]) == (first["ETag"], first["LastModified"])


def test_upload_other_object_at_key_is_overwritten(tmp_path: Path, s3: Any, bucket: str) -> None:
    packed = pack(make_tree(tmp_path))
    key = content_key(packed, unique("job"))
    s3.put_object(Bucket=bucket, Key=key, Body=b"not ours")
    calls = counted(s3)
    upload(packed, bucket, key, s3)
    assert calls == {"HeadObject": 1, "PutObject": 1}
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == packed.data


def test_upload_missing_bucket_names_bucket_and_fix(tmp_path: Path, s3: Any) -> None:
    packed = pack(make_tree(tmp_path))
    missing = unique("missing")
    key = content_key(packed, "vqe")
    assert refusal(lambda: upload(packed, missing, key, s3)) == (
        f"upload Braket Job source (s3://{missing}/{key}): NoSuchBucket: bucket {missing} does "
        f"not exist; create it (aws s3 mb s3://{missing}, or pulumi_braket.source.ensure_bucket) "
        "or choose an existing bucket"
    )
    assert missing not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


# -- ensure_bucket ------------------------------------------------------------------------------


@pytest.mark.parametrize(("region", "location"), [("us-east-1", None), ("eu-west-2", "eu-west-2")])
def test_ensure_bucket_creates_once_in_region(
    shared_service: Service, region: str, location: str | None
) -> None:
    client = shared_service.client("s3", region=region)
    name = unique("ensure")
    calls = counted(client)
    assert ensure_bucket(name, client, region) is True
    assert ensure_bucket(name, client, region) is False
    assert ensure_bucket(name, client) is False  # the client's region by default
    assert calls["CreateBucket"] == 1
    assert client.get_bucket_location(Bucket=name)["LocationConstraint"] == location


def test_ensure_bucket_created_meanwhile_by_us_counts_as_existing(
    shared_service: Service,
) -> None:
    client = shared_service.client("s3", region="eu-west-2")
    other = shared_service.client("s3", region="eu-west-2")
    name = unique("race")

    def create_between_head_and_create(**_: Any) -> None:
        # Another writer wins the race after our HEAD saw no bucket.
        other.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )

    client.meta.events.register_first(
        "after-call.s3.HeadBucket", create_between_head_and_create, unique_id="race"
    )
    calls = counted(client)
    assert ensure_bucket(name, client) is False  # BucketAlreadyOwnedByYou, as the SDK accepts
    assert calls == {"HeadBucket": 1, "CreateBucket": 1}


def test_default_bucket_is_the_sdk_name() -> None:
    assert default_bucket("eu-west-2", ACCOUNT) == f"amazon-braket-eu-west-2-{ACCOUNT}"


# -- local_path ---------------------------------------------------------------------------------


def test_local_path_accepts_str_pathlike_file_archive_and_file_asset(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    run = root / "run.py"
    assert local_path(str(root)) == str(root)
    assert local_path(root) == str(root)
    assert local_path(pulumi.FileArchive(str(root))) == str(root)
    assert local_path(pulumi.FileAsset(run)) == str(run)
    assert pack(pulumi.FileArchive(str(root))) == pack(root)
    assert pack(pulumi.FileAsset(str(run))) == pack(run)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (
            pulumi.RemoteAsset("https://example.com/run.py"),
            "RemoteAsset https://example.com/run.py",
        ),
        (
            pulumi.RemoteArchive("https://example.com/a.tgz"),
            "RemoteArchive https://example.com/a.tgz",
        ),
        (pulumi.StringAsset("print('hi')"), "StringAsset"),
        (pulumi.AssetArchive({}), "AssetArchive"),
    ],
)
def test_local_path_refuses_assets_not_on_this_machine(value: Any, shown: str) -> None:
    kind = type(value).__name__
    assert refusal(lambda: local_path(value)) == (
        f"pack Braket Job source ({shown}): a {kind} is not a local file; source must be a local "
        "directory or file (str, os.PathLike, FileArchive or FileAsset); for code already in S3 "
        "pass algorithm_specification.script_mode_config.s3_uri"
    )


def test_local_path_refuses_archive_file_and_directory_asset(tmp_path: Path) -> None:
    archive = write(tmp_path / "code.tar.gz", "")
    assert "a FileArchive of a file is an archive, not source code" in refusal(
        lambda: local_path(pulumi.FileArchive(str(archive)))
    )
    assert refusal(lambda: local_path(pulumi.FileAsset(str(tmp_path)))) == (
        f"pack Braket Job source (FileAsset {tmp_path}): is a directory; use FileArchive or the "
        "path for a directory"
    )


@pytest.mark.parametrize("value", [42, None, b"/tmp/algo", ""])
def test_local_path_refuses_non_paths(value: Any) -> None:
    assert refusal(lambda: local_path(value)).startswith("pack Braket Job source (")
