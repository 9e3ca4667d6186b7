"""Google Discovery documents: load, check and normalise them into the spec model."""
