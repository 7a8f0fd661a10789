"""Problem-type understanding: the configurable taxonomy and the torch classifier."""
