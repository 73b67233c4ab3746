"""Hostile and broken submissions named by scenario (see make_fixtures.py)."""
