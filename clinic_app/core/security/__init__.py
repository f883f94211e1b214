"""security layer of the Qt-free core."""
