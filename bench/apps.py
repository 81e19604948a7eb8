from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's synthetic data (`generate_data`); `bench/run.py` drives the benchmark."""

    name = "bench"
