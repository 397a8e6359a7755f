"""The resource cores: check, diff, create, read, update and delete on plain values, host-free."""
