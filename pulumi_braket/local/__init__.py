"""A local Amazon Braket service that real boto3, the AWS CLI and the Braket SDK talk to."""

from pulumi_braket.local.config import ServiceSettings
from pulumi_braket.local.front.credentials import KeyPair
from pulumi_braket.local.front.server import LocalBraket

__all__ = ["KeyPair", "LocalBraket", "ServiceSettings"]
