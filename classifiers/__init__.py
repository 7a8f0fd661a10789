"""Problem-type understanding: the configurable taxonomy and the linear classifier."""
