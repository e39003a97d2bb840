"""Installed assets and their manifest (``manifest.yaml``). Data only."""
