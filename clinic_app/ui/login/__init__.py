"""Sign-in, the Caps Lock-aware password field and the password change dialog."""
