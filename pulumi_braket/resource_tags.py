"""The ResourceTags resource as a Python program declares it: the dynamic resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pulumi

from pulumi_braket.cores.resource_tags import ResourceTagsCore
from pulumi_braket.hosts.dynamic import BraketProvider, BraketResource


class ResourceTagsProvider(BraketProvider):
    """The dynamic host's ResourceTagsCore; state names this class, so it stays here."""

    core = ResourceTagsCore


class ResourceTags(BraketResource, module="braket", name="ResourceTags"):
    """Tags on a Braket job or quantum task; only the keys declared here are managed.

    Keys set by anyone else are left alone, so this can sit beside a Job's own tags or tags
    set in the console. Changing ``resource_arn`` moves the tags (replace).
    """

    # For type checkers only: at run time the SDK resolves these annotations again for
    # every resource it registers (typing.get_type_hints, about 0.5 ms a Job), and the
    # outputs need no types of theirs; the attributes are set from the props either way.
    if TYPE_CHECKING:
        resource_arn: pulumi.Output[str]
        tags: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        resource_name: str,
        resource_arn: pulumi.Input[str],
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {"resource_arn": resource_arn, "tags": tags}
        super().__init__(ResourceTagsProvider, resource_name, props, opts)
