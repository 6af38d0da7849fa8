"""Manuscripts from word processors into a book folder: `octavo import` (word.py)."""
