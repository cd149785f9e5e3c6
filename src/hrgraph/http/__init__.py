"""The HTTP service (docs/architecture.md, layer "http"): ``hrgraph.http.app.create_app(settings)``
builds the FastAPI application, the only module that imports both ``api`` (the machine routes) and
``web`` (the pages for people), which never import each other. The modules beside them are what
both use: ``deps`` (settings, executor, negotiation, body limits), ``errors``, ``conventions``,
``bounded``, ``pages`` (templates, links under the public base), ``documents`` (RDF documents) and
``updates`` (writes)."""
