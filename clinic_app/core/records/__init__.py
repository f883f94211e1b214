"""records layer of the Qt-free core."""
