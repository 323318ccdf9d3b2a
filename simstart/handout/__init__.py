"""Handouts: one scenario's walk as a Markdown or HTML document for the class (``simstart
export``). Reads the engine, the annotated sources, the graphs and the panes' plain-data views;
draws no screen."""
