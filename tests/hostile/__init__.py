"""Hostile input: a corpus of malicious and broken sources served on loopback, and what it must not do."""
