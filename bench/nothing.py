"""A dynamic resource that makes no API call: what the Pulumi engine costs on its own."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, ReadResult, ResourceProvider

# Set by run.py for the "(b) + waits" rows: how long each operation sleeps instead of calling
# Braket, so the engine sees our calls' latency without their CPU.
WAIT_ENV = "BENCH_WAIT_MS_"
# Set by run.py for the (b') rows: properties to declare beyond the inputs (comma-separated),
# as outputs a program reads, the way a Job declares its own.
DECLARE_ENV = "BENCH_DECLARE"


def _wait(operation: str) -> None:
    milliseconds = float(os.environ.get(WAIT_ENV + operation.upper(), "0"))
    if milliseconds:
        time.sleep(milliseconds / 1000)


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if not key.startswith("__")}


class NothingProvider(ResourceProvider):
    """Returns its inputs as outputs; lives in an importable module, so it pickles by reference."""

    # Like the Braket providers: nothing secret is captured, so no per-resource encryption.
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        _wait("create")
        return CreateResult(uuid.uuid4().hex, _plain(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        _wait("read")
        return ReadResult(id_, _plain(props), _plain(props))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        _wait("delete")


class Nothing(pulumi.dynamic.Resource, module="bench", name="Nothing"):
    """Carries the same user inputs as a bench Job, so state and wire sizes match."""

    def __init__(self, name: str, props: dict[str, Any]) -> None:
        declared = filter(None, os.environ.get(DECLARE_ENV, "").split(","))
        super().__init__(NothingProvider(), name, {**{key: None for key in declared}, **props})
