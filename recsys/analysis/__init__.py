"""Analyses built on the engine: word attribution, audiences of items, and the 2-D/3-D maps."""
