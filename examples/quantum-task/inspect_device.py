"""The job's entry point: looks at the device it was given and saves what it found."""

from braket.aws import AwsDevice
from braket.jobs import get_job_device_arn, save_job_result


def main() -> None:
    device = AwsDevice(get_job_device_arn())
    save_job_result({"device": device.name, "qubits": device.properties.paradigm.qubitCount})
