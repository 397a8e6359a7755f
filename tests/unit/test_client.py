"""Response timestamps: the fast ISO 8601 path gives the instants botocore's parser gives."""

from __future__ import annotations

import pytest
from botocore.utils import parse_timestamp

from pulumi_braket.client import timestamp


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-02T03:24:48.123Z",
        "2026-12-02T03:24:48Z",
        "2026-12-02T05:24:48.5+02:00",
        "2026-12-02T03:24:48",
        "Wed, 02 Dec 2026 03:24:48 GMT",
        1764645888.123,
        "1764645888",
    ],
)
def test_timestamp_same_instant_as_botocore(value: object) -> None:
    parsed, theirs = timestamp(value), parse_timestamp(value)
    # The same instant, and zone-aware exactly when botocore's is (its zone may be local).
    assert (parsed, parsed.tzinfo is None) == (theirs, theirs.tzinfo is None)


def test_timestamp_not_a_time_refused() -> None:
    with pytest.raises(ValueError, match="Invalid timestamp"):
        timestamp("soon")
