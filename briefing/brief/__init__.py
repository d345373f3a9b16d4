"""From tagged items to the brief: stories (clustering), history and trends, composition, coverage, editions."""
