"""gemini-codegen: a typed Gemini API client generated from a hand-maintained YAML spec."""

__version__ = "0.1.0"
