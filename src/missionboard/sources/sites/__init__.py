"""Per-site helpers for what a recipe's mappings cannot say (named by ``hook``/``discover`` keys)."""
