"""Views of a whole workspace built on the lint engine's index: the graph, the task chains and
the operations manual."""
