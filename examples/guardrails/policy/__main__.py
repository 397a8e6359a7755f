"""The pulumi-braket policy pack, served as a directory pack (PulumiPolicy.yaml)."""

from pulumi_braket.policy import serve

serve()
