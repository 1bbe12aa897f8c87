"""Markdown -> HTML for one chapter: math, highlighting, links, table of contents."""
