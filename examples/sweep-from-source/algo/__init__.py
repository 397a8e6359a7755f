"""The algorithm package the sweep's jobs run."""
