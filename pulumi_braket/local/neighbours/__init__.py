"""The AWS services a Braket user also calls, emulated beside it: S3, images, Logs Insights."""
