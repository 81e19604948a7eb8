"""Helpers every layer may use. Imports Django only, never one of the portal's apps
(the import-linter contract in `.importlinter` keeps it so)."""
