"""Running what the service is given: tasks on the simulators and emulators, jobs from source."""
