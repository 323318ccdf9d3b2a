"""The Textual TUI (DESIGN.md, layer 7): the only package that imports Textual.

Importing this package imports nothing; ``simstart.tui.app`` holds the app.
"""
