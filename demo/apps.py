from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data behind `make setup`: built through the real services, never in production."""

    name = "demo"
