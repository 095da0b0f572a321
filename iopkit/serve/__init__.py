"""`iopkit serve`: a local web editor over the same model, rules and templates.

The page (static/, plain JavaScript and CSS shipped in the package) keeps the spec as a
JavaScript object, sends it as YAML to the API and shows findings and an HTML preview.
Layout: `security` (who may talk to the server), `workspace` (the one file being edited),
`api` (the JSON/document endpoints), `app` (routes and static files), `server` (port,
uvicorn, browser). Nothing here is imported by the other commands: starlette stays out of
`iopkit check` and `iopkit --version`.
"""
