"""The actor and topic registers panel (and the cache the popups complete from)."""
