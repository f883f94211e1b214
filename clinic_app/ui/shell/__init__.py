"""The main window, its workspace registry, the idle lock, and the sign-in lifecycle."""
