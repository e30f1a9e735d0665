"""The fix stage: a rule's fix template turned into edits for one finding (`propose`), the
edits applied to a file in rounds, verified, with a diff (`apply`), the imports the edits
need added and the ones they left unused removed, with libcst (`imports`). The runner
writes the fixed files (`evlint.runner.fixing`). Callers import from the submodule they need."""
