"""A sweep as Braket SDK users write it: local source, an entry point and a device, nothing else."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
shots = config.get_object("shots") or [100, 1000]

for count in shots:
    job = braket.Job(
        f"h2-shots-{count}",
        # Packed reproducibly and stored under its content digest: editing algo/ replaces
        # every job of the sweep, an untouched tree changes nothing.
        source="algo",
        entry_point="algo.run:main",
        device="sv1",
        # A local directory is uploaded by content too; an s3:// URI is used as is.
        input_data={"molecule": "data"},
        hyper_parameters={"shots": str(count)},
        tags={"experiment": "h2-sweep"},
        # role_arn, job_name, the image, bucket, instance and runtime: the SDK's defaults,
        # each shown by `pulumi preview --diff`.
    )
    pulumi.export(f"shots_{count}_arn", job.arn)
    pulumi.export(f"shots_{count}_status", job.status)

# One job that the update waits for, with its progress shown against the resource.
final = braket.Job(
    "h2-final",
    source="algo",
    device="sv1",
    entry_point="algo.run:main",
    input_data={"molecule": "data"},
    hyper_parameters={"shots": "10000"},
    wait_for_completion=True,
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="30m")),
)
pulumi.export("final_status", final.status)
pulumi.export("final_results", final.results_uri)
pulumi.export("final_result", final.result)
pulumi.export("final_script", final.algorithm_specification)
