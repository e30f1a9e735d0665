"""Can each entry point of a project run without eventlet?

`metadata` finds the entry points (packaging metadata, `__main__` modules, test packages);
`scan` reads each module's imports from its text and `graph` follows them from an entry
point; `patching` parses the modules whose code may decide a monkey patch and names the
guards around it; `verdict` puts it together per entry point, `project` per project, and
`render` prints it. `evlint.api.entrypoint_verdicts` is the way in.
"""
