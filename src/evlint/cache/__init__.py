"""The result cache and the rule cache, in the user's cache directory.

Each project (by its root) has a directory of its own under `projects/`, holding its
results, its index digests and its index's facts, so that pruning one project's entries
never drops another's in a run over many.

Results: one JSON file per *key*: evlint's code, the rules in force (with their options
and paths), the per-file-ignores and the project root, plus the project index's digest
(what the project's own modules re-export from eventlet: a change there re-checks every
file; see `cached_index_digest`). Inside, one entry per absolute path: the file's size and
mtime_ns, a digest of its bytes, and its final diagnostics (after noqa, which depends on
the file's own text only; the path is stored blank and filled in as the file is shown
now). A file whose stat matches is a hit without being read; one whose stat differs is
read and hashed, and a matching digest is still a hit (a fresh clone or checkout changes
every mtime, not the contents).

Rules: the rule files' parsed data, keyed by evlint's code and the paths and bytes of
every rule file, so a warm run does not parse YAML; what is read back is validated
against the schema again (a tampered file is a miss).

Both are written whole to a temporary file and renamed over the old one, so concurrent
runs never see a partial file (the last writer wins; a lost entry is only recomputed). A
file that cannot be read or decoded is a miss, never an error; neither is an unwritable
cache directory.

One module each: `store` (the directory, the JSON codec, atomic writes and pruning),
`results` (`ResultCache`), `index` (`cached_index_digest`, `FactsCache`) and `rules`
(`load_rules_cached`).
"""
