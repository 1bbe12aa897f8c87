"""Browser tests: the built shipped course in Debian's chromium (see conftest.py)."""
