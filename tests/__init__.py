"""gradsite's tests (a package, so that pytest puts the repository root on sys.path)."""
