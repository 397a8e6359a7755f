"""The devices the service offers, and the published calibrations they are built from."""
