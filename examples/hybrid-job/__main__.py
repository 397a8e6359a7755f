"""A hybrid job as a team keeps it in Git: every create_job member, a secret, separate tags."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
aws = pulumi.Config("aws")
region = aws.get("region") or "us-east-1"
account = config.get("account") or "123456789012"
bucket = config.get("bucket") or f"amazon-braket-{region}-{account}"
role_arn = config.get("roleArn") or f"arn:aws:iam::{account}:role/AmazonBraketJobsExecutionRole"
prefix = f"s3://{bucket}/jobs/vqe-h2"

job = braket.Job(
    "vqe-h2",
    braket.JobArgs(
        job_name="vqe-h2",
        role_arn=role_arn,
        device_config={"device": "arn:aws:braket:::device/quantum-simulator/amazon/sv1"},
        algorithm_specification={
            "script_mode_config": {
                "entry_point": "vqe.run:main",
                "s3_uri": f"{prefix}/script/source.tar.gz",
                "compression_type": "GZIP",
            }
        },
        input_data_config=[
            {
                "channel_name": "molecule",
                "data_source": {"s3_data_source": {"s3_uri": f"{prefix}/input/h2.json"}},
            }
        ],
        output_data_config={"s3_path": f"{prefix}/data"},
        checkpoint_config={
            "s3_uri": f"{prefix}/checkpoints",
            "local_path": "/opt/jobs/checkpoints",
        },
        instance_config={
            "instance_type": "ml.m5.large",
            "volume_size_in_gb": 30,
            "instance_count": 1,
        },
        stopping_condition={"max_runtime_in_seconds": 3600},
        hyper_parameters={
            "shots": "1000",
            "max_iterations": "50",
            # Kept encrypted in state and outputs: `pulumi config set --secret apiToken ...`.
            "api_token": config.get_secret("apiToken") or pulumi.Output.secret("not-set"),
        },
        tags={"experiment": "vqe-h2", "owner": "quantum-team"},
    ),
)

# Tags managed on their own: e.g. a review bot's keys, next to the job's own tags.
braket.ResourceTags(
    "vqe-h2-review",
    resource_arn=job.arn,
    tags={"reviewed-by": config.get("reviewer") or "pull-request"},
)

pulumi.export("job_arn", job.arn)
pulumi.export("status", job.status)
pulumi.export("tags", job.tags_all)
