"""Quickstart: a Bell-pair experiment as a hybrid job from local source, run to completion."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
# Outside the demo, point these at your own role (see the README); the SDK's default bucket
# amazon-braket-{region}-{account} is created if it is missing, as the Braket SDK does.
account = config.get("account") or "123456789012"
role_arn = config.get("roleArn") or f"arn:aws:iam::{account}:role/AmazonBraketJobsExecutionRole"

job = braket.Job(
    "bell",
    # Packed reproducibly and stored in S3 under its content digest: editing bell/ replaces
    # the job, an untouched tree changes nothing.
    source="bell",
    entry_point="bell.run:main",
    device="sv1",
    role_arn=role_arn,
    hyper_parameters={"shots": config.get("shots") or "1000"},
    tags={"experiment": "bell", "owner": "quantum-team"},
    # `pulumi up` returns once the job has ended, with its progress under the resource.
    wait_for_completion=True,
)

review = braket.ResourceTags(
    "bell-review",
    resource_arn=job.arn,
    tags={"reviewed-by": "pull-request"},
)

pulumi.export("job_arn", job.arn)
pulumi.export("status", job.status)
pulumi.export("counts", job.result.apply(lambda result: (result or {}).get("counts")))
pulumi.export("correlation", job.result.apply(lambda result: (result or {}).get("correlation")))
pulumi.export("results_uri", job.results_uri)
pulumi.export("tags", job.tags_all)
