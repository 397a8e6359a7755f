"""A one-parameter variational search: the job's entry point, kept in S3 as source.tar.gz."""

import json
import math
from pathlib import Path

from braket.aws import AwsDevice
from braket.circuits import Circuit, Observable
from braket.jobs import get_input_data_dir, get_job_device_arn, save_job_result
from braket.jobs.metrics import log_metric


def energy(device: AwsDevice, theta: float, shots: int) -> float:
    """<Z> of RY(theta)|0>, estimated from shots: the toy Hamiltonian's energy."""
    circuit = Circuit().ry(0, theta).expectation(Observable.Z(), target=0)
    return float(device.run(circuit, shots=shots).result().values[0])


def main(shots: int, max_iterations: int, api_token: str) -> None:
    # api_token arrives like every hyperparameter; it is a secret in Pulumi's state, so it
    # is used, never printed.
    assert api_token
    molecule = json.loads(next(Path(get_input_data_dir("molecule")).rglob("*.json")).read_text())
    device = AwsDevice(get_job_device_arn())
    theta, step = 0.0, 1.0
    best = energy(device, theta, shots)
    for iteration in range(max_iterations):
        if step < 0.05:
            break
        trial = energy(device, theta + step, shots)
        if trial < best:
            theta, best = theta + step, trial
        else:
            step /= 2
        log_metric(metric_name="energy", value=best, iteration_number=iteration)
    print(f"{molecule['name']}: lowest energy {best:.3f} at theta {theta:.3f}")
    save_job_result({"energy": best, "theta": theta, "exact_theta": math.pi})
