"""The drift checker: does the spec still describe the API?

Discovery loading (`source.py`, `codegen.discovery.load`) -> normalisation
(`codegen.discovery.normalise`) -> comparison (`compare.py`, pure, returns `Finding`s whose kinds
are the drift rules of the one registry, `codegen.compare.rules`, shared with `codegen diff`) -> ignore rules (`ignore.py`, `spec/drift-ignore.yaml`) -> report
(`report.py`: text, markdown, JSON, `--suggest` snippets). `command.py` is `codegen drift`.
"""
