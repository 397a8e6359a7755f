"""The two hosts of the resource cores: the dynamic provider host and the native plugin."""
