"""Rule families behind `flows.extract.facts`: detentions, elections (and results), other events.

Each works on plain text plus the article's sentence spans and entity mentions; no parse is needed.
"""
