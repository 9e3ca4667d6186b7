"""End-to-end tests of the generated client (`generated/gemini_client`) against loopback servers."""
