"""The Qt-free core: domain, store, security, imaging, records and inference.

Nothing under this package may import a Qt binding; ``tests/test_architecture.py``
enforces it so that every capability works headless (CLI, tests, batch jobs).
"""
