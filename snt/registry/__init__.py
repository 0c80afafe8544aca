"""Plots and their owners: the registry, ownership claims, the privacy rule, members."""
