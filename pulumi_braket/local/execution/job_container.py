"""Inside a local job's process: call its entry point as the Braket job container does.

Follows ``braket_container.py`` of amazon-braket-containers: ``module:function`` is imported
and called with the hyperparameters bound to its signature (each cast by its annotation,
else ``str``), a plain module runs as ``__main__``; an exception is written to the failure
file as ``Type: message`` and the process exits 1.

Usage: ``python -m pulumi_braket.local.execution.job_container ENTRY_POINT FAILURE_FILE``
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import runpy
import sys
import traceback
from collections.abc import Callable
from typing import Any


def bind_hyperparameters(function: Callable[..., Any]) -> dict[str, Any]:
    """Keyword arguments for ``function`` from the hyperparameters file, as the container binds.

    Nothing when the file is missing or the names do not fit the signature; each value is
    cast with its parameter's annotation (``str`` when it has none).
    """
    path = os.environ.get("AMZN_BRAKET_HP_FILE")
    if not path:
        return {}
    with open(path) as file:
        hyperparameters: dict[str, Any] = json.load(file)
    try:
        inspect.signature(function).bind(**hyperparameters)
    except TypeError:
        return {}
    annotations = inspect.getfullargspec(function).annotations
    return {name: annotations.get(name, str)(value) for name, value in hyperparameters.items()}


def resolve(entry_point: str) -> Callable[[], Any]:
    """The callable an entry point names: ``module:function``, or a module run as __main__."""
    if ":" in entry_point:
        module_name, _, function_name = entry_point.partition(":")
        module = importlib.import_module(module_name)
        function: Callable[..., Any] = getattr(module, function_name)
        arguments = bind_hyperparameters(function)
        return lambda: function(**arguments)
    return lambda: runpy.run_module(entry_point, run_name="__main__")


def main(argv: list[str]) -> int:
    entry_point, failure_file = argv[1], argv[2]
    sys.path.append(os.getcwd())
    print("Running Code As Process", flush=True)
    try:
        resolve(entry_point)()
    except BaseException as error:
        if isinstance(error, SystemExit) and error.code in (0, None):
            print("Code Run Finished", flush=True)
            return 0
        text = str(error)
        with open(failure_file, "a") as file:
            file.write(f"{type(error).__name__}: {text}" if text else type(error).__name__)
        traceback.print_exc()
        sys.stderr.flush()
        return 1
    print("Code Run Finished", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
