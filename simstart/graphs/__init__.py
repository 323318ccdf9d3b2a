"""Graphs for slides and the coverage map (DESIGN.md, layer 6): the call graph of the start
path, a trace as a state machine, the network topology of the world at a step, and which
branches a set of scenarios reaches. networkx is imported only inside the functions that need
it, so importing this package (the CLI does, to register its commands) stays cheap."""
