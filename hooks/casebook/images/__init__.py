"""Figures as published: re-encoded without metadata, verified, resized, cached.

Pure functions on bytes and paths (no MkDocs): `inspect` reads a source image's
header and identifying metadata, `metadata` walks raw JPEG/PNG/WebP/GIF
structures to prove a published file carries none, `encode` writes the
derivatives, `svg` sanitises drawings with an allow-list, `cache` keeps the
derivatives by content hash, and `publish` ties them together for a project.
"""
