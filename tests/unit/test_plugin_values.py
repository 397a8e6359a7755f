"""The native plugin's schema and value mapping: camelCase and the engine's protobuf, both ways."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import provider_pb2

from pulumi_braket import shapes
from pulumi_braket.core import is_unknown
from pulumi_braket.cores.spending_limit import SpendingLimitCore
from pulumi_braket.declarations import RESOURCES
from pulumi_braket.defaults import FRAMEWORKS
from pulumi_braket.errors import BraketError
from pulumi_braket.hosts.plugin import kind_of
from pulumi_braket.hosts.progress import EngineLog
from pulumi_braket.hosts.schema import schema
from pulumi_braket.hosts.values import (
    OUTPUT,
    RESOURCE,
    SECRET,
    SIGNATURE,
    UNKNOWN_TEXT,
    Values,
    wire_path,
)
from pulumi_braket.shapes import camel, snake
from pulumi_braket.wording import Field, Words, at, listed, spelled

JOB = "braket:index:Job"
TASK = "braket:index:QuantumTask"


def codec() -> Values:
    return Values(schema())


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    """Properties as the engine sends them (every number a double)."""
    out = struct_pb2.Struct()
    out.update(values)
    return out


def secret(value: Any) -> dict[str, Any]:
    return {SIGNATURE: SECRET, "value": value}


def plain(value: struct_pb2.Value | struct_pb2.Struct) -> Any:
    """A protobuf value read back as JSON-like Python, special signatures left as they are."""
    from google.protobuf.json_format import MessageToDict

    return MessageToDict(value)


def test_schema_names_round_trip_every_model_member() -> None:
    document = schema()
    names: set[str] = set()
    for spec in document["resources"].values():
        names |= set(spec["inputProperties"]) | set(spec["properties"])
    for spec in document["types"].values():
        names |= set(spec["properties"])
    assert len(names) > 80
    assert [name for name in names if camel(snake(name)) != name] == []


def test_schema_resource_inputs_are_the_request_members() -> None:
    document = schema()
    for spec in RESOURCES:
        request = shapes.members(spec.request)
        inputs = document["resources"][f"braket:index:{spec.kind}"]["inputProperties"]
        assert {m for m in request if m != "clientToken"} <= set(inputs), spec.kind
    job = document["resources"][JOB]
    # Filled by the core when left out, or made from source and entryPoint, so optional
    # here; the model requires them.
    assert "roleArn" not in job["requiredInputs"]
    assert "algorithmSpecification" not in job["requiredInputs"]
    assert job["inputProperties"]["roleArn"]["description"].startswith("The Amazon Resource")


def test_schema_serializes_as_the_engine_reads_it() -> None:
    text = json.dumps(schema())
    assert json.loads(text)["name"] == "braket"
    # What GetSchema sends.
    assert provider_pb2.GetSchemaResponse(schema=text).schema == text


def test_to_core_structures_snake_case_maps_untouched() -> None:
    props = struct(
        {
            "instanceConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 30.0},
            "hyperParameters": {"learningRate": "0.1", "shots": 100.0},
            "tags": {"CostCenter": "q1"},
        }
    )
    values, secrets = codec().to_core(JOB, props)
    assert values == {
        "instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 30},
        # Map keys as written; a number where the model wants text is sent as its text.
        "hyper_parameters": {"learningRate": "0.1", "shots": "100"},
        "tags": {"CostCenter": "q1"},
    }
    assert secrets == set()


def test_to_core_integral_floats_become_ints_unknowns_the_core_marker() -> None:
    values, _ = codec().to_core(TASK, struct({"shots": 1000.0, "deviceArn": UNKNOWN_TEXT}))
    assert values["shots"] == 1000 and isinstance(values["shots"], int)
    assert is_unknown(values["device_arn"])


def test_to_core_output_values_unknown_without_value_secret_when_marked() -> None:
    values, secrets = codec().to_core(
        JOB,
        struct(
            {
                "roleArn": {SIGNATURE: OUTPUT, "dependencies": ["urn:a"]},
                "jobName": {SIGNATURE: OUTPUT, "value": "bell", "secret": True},
                "deviceConfig": {"device": {SIGNATURE: RESOURCE, "urn": "urn:b", "id": "arn:d"}},
            }
        ),
    )
    assert is_unknown(values["role_arn"])
    assert values["job_name"] == "bell" and secrets == {"job_name"}
    # A resource given as an input stands for its ID.
    assert values["device_config"] == {"device": "arn:d"}


def test_to_core_asset_refused_naming_what_to_give() -> None:
    asset = {SIGNATURE: "c44067f5952c0a294b673a41bacd8c17", "path": "run.py"}
    with pytest.raises(BraketError) as refused:
        codec().to_core(JOB, struct({"algorithmSpecification": {"scriptModeConfig": asset}}))
    assert refused.value.words.spelled(wire_path) == (
        "algorithmSpecification: a Pulumi asset or archive is not a Braket input; give a path "
        "or an S3 URI"
    )


def test_to_wire_secrets_stay_secret_counts_keep_bitstrings() -> None:
    values, secrets = codec().to_core(JOB, struct({"hyperParameters": secret({"token": "s3cr3t"})}))
    assert values == {"hyper_parameters": {"token": "s3cr3t"}}
    assert secrets == {"hyper_parameters"}
    out = codec().to_wire(TASK, {"measurement_counts": {"00": 51, "11": 49}}, set())
    assert plain(out) == {"measurementCounts": {"00": 51.0, "11": 49.0}}
    back = codec().to_wire(JOB, values, secrets)
    assert plain(back) == {"hyperParameters": secret({"token": "s3cr3t"})}


def test_to_wire_unknown_placeholder_nested_keys_camel_case_empty_kept() -> None:
    unknown, _ = codec().to_core(JOB, struct({"arn": UNKNOWN_TEXT}))
    out = codec().to_wire(
        JOB,
        {
            **unknown,
            "output_data_config": {"s3_path": "s3://b/out", "kms_key_id": "k"},
            "tags": {},
            "input_data_config": [],
            "checkpoint_config": None,
        },
        set(),
    )
    assert plain(out) == {
        "arn": UNKNOWN_TEXT,
        "outputDataConfig": {"s3Path": "s3://b/out", "kmsKeyId": "k"},
        "tags": {},
        "inputDataConfig": [],
        "checkpointConfig": None,
    }


def test_wire_path_check_failures_as_the_schema_spells_them() -> None:
    assert wire_path("instance_config.instance_type") == "instanceConfig.instanceType"
    assert wire_path("input_data_config[0].channel_name") == "inputDataConfig[0].channelName"
    assert wire_path("tags.cost_center") == "tags.cost_center"
    assert wire_path("device_arn") == "deviceArn"


def test_check_reason_names_fields_in_each_hosts_spelling() -> None:
    # A core reports the inputs a reason names as paths; each host spells them.
    checked = SpendingLimitCore().check(
        {},
        {
            "device_arn": "",
            "spending_limit": "10",
            "time_period": {"start_at": "2026-02-01T00:00:00Z", "end_at": "2026-01-01T00:00:00Z"},
        },
    )
    (reason,) = [f.reason for f in checked.failures if f.property == "time_period"]
    assert str(reason) == "time_period: start_at must be before end_at"
    assert spelled(reason, wire_path) == "timePeriod: startAt must be before endAt"


def test_error_words_spell_fields_not_values() -> None:
    error = BraketError(
        "adopt Braket Job (arn:aws:braket:us-east-1:123456789012:job/a_b): the program "
        "differs from the job in ",
        listed(["job_name", "instance_config.volume_size_in_gb"]),
        "; my_job_name kept",
    )
    assert str(error) == (
        "adopt Braket Job (arn:aws:braket:us-east-1:123456789012:job/a_b): the program "
        "differs from the job in job_name, instance_config.volume_size_in_gb; my_job_name kept"
    )
    assert error.words.spelled(wire_path) == (
        "adopt Braket Job (arn:aws:braket:us-east-1:123456789012:job/a_b): the program "
        "differs from the job in jobName, instanceConfig.volumeSizeInGb; my_job_name kept"
    )
    # A message that quotes another keeps the inner one's fields.
    outer = BraketError("check: ", at("device", error))
    assert outer.words.spelled(wire_path).startswith("check: device: adopt Braket Job")
    assert "jobName, instanceConfig.volumeSizeInGb" in outer.words.spelled(wire_path)


def test_schema_framework_names_every_framework_the_job_accepts() -> None:
    described = schema()["resources"]["braket:index:Job"]["inputProperties"]["framework"]
    assert all(name in described["description"] for name in FRAMEWORKS)
    assert "cudaq" in FRAMEWORKS


def test_progress_notes_spelled_by_the_plugin_sink(capsys: pytest.CaptureFixture[str]) -> None:
    note = Words(Field("instance_config.instance_type"), " = 'ml.m5.large' (Braket SDK default)")
    # No engine to reach (no address): the sink writes to stderr, spelled as the schema.
    EngineLog("", wire_path)("urn:pulumi:dev::lab::braket:index:Job::bell", "info", note)
    EngineLog("")("urn:pulumi:dev::lab::braket:index:Job::bell", "info", note)
    assert capsys.readouterr().err.splitlines() == [
        "info: instanceConfig.instanceType = 'ml.m5.large' (Braket SDK default)",
        "info: instance_config.instance_type = 'ml.m5.large' (Braket SDK default)",
    ]


def test_kind_of_request_type_else_urn_past_parent_types() -> None:
    urn = "urn:pulumi:dev::lab::my:index:Experiment$braket:index:Job::bell"
    assert kind_of(provider_pb2.CheckRequest(urn=urn, type=JOB)) == JOB
    # An engine that sends no type: the URN's, without the parent's qualifier.
    assert kind_of(provider_pb2.CheckRequest(urn=urn)) == JOB
