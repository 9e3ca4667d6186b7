"""Other outputs of the spec: `codegen export openapi`."""
