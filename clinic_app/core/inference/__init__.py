"""inference layer of the Qt-free core."""
