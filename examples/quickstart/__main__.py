"""Quickstart: one hybrid job on the SV1 simulator, tagged, plus tags managed on their own."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
# Outside the demo, point these at your own role and bucket (see the README).
account = config.get("account") or "123456789012"
region = pulumi.Config("aws").get("region") or "us-east-1"
role_arn = config.get("roleArn") or f"arn:aws:iam::{account}:role/AmazonBraketJobsExecutionRole"
bucket = config.get("bucket") or f"amazon-braket-{region}-{account}"

job = braket.Job(
    "bell-sweep",
    braket.JobArgs(
        job_name="bell-sweep",
        role_arn=role_arn,
        device_config={"device": "arn:aws:braket:::device/quantum-simulator/amazon/sv1"},
        algorithm_specification={
            "script_mode_config": {
                "entry_point": "bell.run:main",
                "s3_uri": f"s3://{bucket}/jobs/bell-sweep/script/source.tar.gz",
                "compression_type": "GZIP",
            }
        },
        output_data_config={"s3_path": f"s3://{bucket}/jobs/bell-sweep/data"},
        instance_config={"instance_type": "ml.m5.large", "volume_size_in_gb": 30},
        hyper_parameters={"shots": "1000", "depth": "4"},
        tags={"experiment": "bell", "owner": "quantum-team"},
    ),
)

review = braket.ResourceTags(
    "bell-sweep-review",
    resource_arn=job.arn,
    tags={"reviewed-by": "pull-request"},
)

pulumi.export("job_arn", job.arn)
pulumi.export("status", job.status)
pulumi.export("tags", job.tags_all)
pulumi.export("review_tags", review.tags)
