"""The sample generators (make_samples.py, make_scans.py), importable from the tests as ``samples.make_samples``."""
