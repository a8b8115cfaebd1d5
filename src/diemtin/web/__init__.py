"""Digest -> HTTP API and web page (FastAPI, server-rendered Jinja2 templates, no JavaScript)."""
