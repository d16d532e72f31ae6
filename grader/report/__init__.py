"""The result model and its renderers (each renderer reads the model only)."""
