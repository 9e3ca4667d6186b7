"""Rendering: spec model -> Python source text (types through datamodel-code-generator, the rest through Jinja2)."""
