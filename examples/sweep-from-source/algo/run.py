"""Entry point of each job: reads its hyperparameters and input channel as Braket provides them."""

import json
import os
from pathlib import Path

from braket.jobs import save_job_result


def main() -> None:
    hyperparameters = json.loads(Path(os.environ["AMZN_BRAKET_HP_FILE"]).read_text())
    channel = Path(os.environ["AMZN_BRAKET_INPUT_DIR"]) / "molecule"
    # Files keep their paths below the channel's S3 prefix; look for the file, not a layout.
    molecule = json.loads(next(channel.rglob("h2.json")).read_text())
    print(f"bond length {molecule['bond_length']} with {hyperparameters['shots']} shots")
    # results.json in the job's model.tar.gz; the Job resource's `result` output reads it.
    save_job_result({"bond_length": molecule["bond_length"], "shots": hyperparameters["shots"]})
