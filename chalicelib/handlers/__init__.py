"""Stream and schedule entry points: parse the event, call a service, report failures."""
