"""State written before the resource core moved still previews, refreshes and destroys."""

# tests/engine/old_state/state.json was exported from a stack of its program at e795b76, before
# the move: its dynamic providers are pickled by reference to their old class paths
# (pulumi_braket.job.JobProvider and its siblings), which must keep importing.

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

from botocore.exceptions import ClientError

from tests.conftest import Service, ensure_jobs_role
from tests.engine.conftest import BUCKET, Project

OLD = Path(__file__).parent / "old_state"
OLD_PROVIDERS = (
    "pulumi_braket.job",
    "pulumi_braket.quantum_task",
    "pulumi_braket.spending_limit",
    "pulumi_braket.resource_tags",
)


def test_preview_state_from_before_the_move_has_no_changes(
    project: Callable[..., Project], shared_service: Service
) -> None:
    ensure_jobs_role(shared_service)
    with contextlib.suppress(ClientError):
        shared_service.client("s3").create_bucket(Bucket=BUCKET)
    made = project(program=OLD / "__main__.py")
    # The state's secrets are the old stack's: its salt comes with its config.
    shutil.copy(OLD / "Pulumi.test.yaml", made.root / "project" / "Pulumi.test.yaml")
    made.run("stack", "import", "--file", str(OLD / "state.json"))
    state = (OLD / "state.json").read_text()
    assert all(module.encode() in _pickled_modules(state) for module in OLD_PROVIDERS)

    preview = made.preview()
    assert preview.change_summary == {"same": 5}
    # Destroy unpickles each provider from the state, by its old class path. The service
    # never saw these ARNs, so each delete finds nothing left to cancel.
    destroyed = made.stack.destroy(color="never")
    assert destroyed.summary.resource_changes == {"delete": 5}


def _pickled_modules(state: str) -> bytes:
    """The module paths the state's pickled providers name."""
    import base64
    import json

    deployment = json.loads(state)["deployment"]
    return b" ".join(
        base64.b64decode(resource["inputs"]["__provider"])
        for resource in deployment["resources"]
        if "__provider" in resource.get("inputs", {})
    )
