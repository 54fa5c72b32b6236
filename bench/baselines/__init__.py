"""Minimal scripts qcode is measured against, each run as its own process."""
