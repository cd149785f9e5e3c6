"""The HTTP service (docs/architecture.md, layer "http"): ``hrgraph.http.app.create_app(settings)``
builds the FastAPI application; ``api`` holds the machine routes, ``web`` the pages for people,
and the modules beside them what both use (dependencies, errors, HTTP conventions, bounds)."""
