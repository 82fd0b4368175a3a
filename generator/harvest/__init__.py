"""The harvest: arXiv's API and OAI-PMH clients, parsing their responses, the run, its state and report."""
