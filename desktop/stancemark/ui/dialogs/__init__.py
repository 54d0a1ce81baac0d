"""Dialogs: import and export (with their background jobs), backups, about."""
