"""simstart: step through how moby v17.05.0-ce starts a container.

Importing the package imports nothing heavy; see ``simstart.cli``.
"""

__version__ = "0.1.0"
