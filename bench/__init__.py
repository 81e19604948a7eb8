"""The benchmark: `run.py` (make bench), its in-process half and the synthetic data it loads."""
