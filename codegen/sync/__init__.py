"""`codegen sync`: from Google's change to a spec edit, the regenerated client and its spec diff."""
