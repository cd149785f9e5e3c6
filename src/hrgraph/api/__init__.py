"""The HTTP service: ``create_app(settings)`` builds the FastAPI application."""

from hrgraph.api.app import create_app

__all__ = ["create_app"]
