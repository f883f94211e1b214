"""store layer of the Qt-free core."""
