"""Test helpers shared by test suites (a scriptable loopback HTTP server)."""
