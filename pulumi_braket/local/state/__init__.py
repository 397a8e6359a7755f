"""What the service remembers: its store, and S3 kept across restarts."""
