"""imaging layer of the Qt-free core."""
