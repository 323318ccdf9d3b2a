"""The TUI in a browser, through textual-serve (DESIGN.md, layer 9; the optional ``web`` extra).

Every browser tab that opens the page gets a process of its own running ``simstart tui``, so
thirty students are thirty independent sessions; the browser is only a terminal.
"""
