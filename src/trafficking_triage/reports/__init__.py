"""What the program makes for people to read, from a protocol or from recorded calls: a call's
narrative, Markdown and JSON (export.py), its QA review (review.py), the guide cards
(cards.py) and the decision tree drawn (graph.py). Above the records and training, which they
read; below the console and the commands, which show them."""
