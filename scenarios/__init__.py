"""Installed scenarios (``*.yaml``, format 1), their schema and trainee scripts. Data only."""
