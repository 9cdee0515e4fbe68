"""The web explorer: ``create_app(store)`` builds the FastAPI app; ``dotterel serve`` runs it."""

from dotterel.web.app import create_app

__all__ = ["create_app"]
