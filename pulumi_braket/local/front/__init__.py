"""The HTTP front of the local service: who may come in, before anything is dispatched."""
