"""A Bell pair measured on the job's device: the hybrid job's entry point."""

from braket.aws import AwsDevice
from braket.circuits import Circuit
from braket.jobs import get_job_device_arn, save_job_result
from braket.jobs.metrics import log_metric


def main(shots: int = 1000) -> None:
    # The container binds hyperparameters by name and casts them by annotation.
    device = AwsDevice(get_job_device_arn())
    bell = Circuit().h(0).cnot(0, 1)
    counts = device.run(bell, shots=shots).result().measurement_counts
    # An entangled pair: every shot reads 00 or 11, each about half the time.
    correlated = (counts.get("00", 0) + counts.get("11", 0)) / shots
    log_metric(metric_name="correlation", value=correlated, iteration_number=0)
    print(f"measured {dict(counts)} over {shots} shots; correlation {correlated:.3f}")
    save_job_result({"counts": dict(sorted(counts.items())), "correlation": correlated})
