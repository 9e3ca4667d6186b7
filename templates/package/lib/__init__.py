"""The hand-written helpers layer, on top of the generated resources and types.

It imports the generated layer (`.._client`, `..resources`, `..types`) and is never imported by it.
The public `Client` and `AsyncClient` are defined here: the generated clients plus helpers.
"""
