"""The IT administrator workspace: users, audit log, settings, system information."""
