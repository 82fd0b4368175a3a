"""What curators and reviewers are shown about the topics: the report, a change's diff, candidates.

- ``report``: per topic, how many papers it lists and why; the papers no topic lists.
- ``revision``: an archive's topics and curation as a git revision holds them (read with git).
- ``diff``: what a change does to each topic's papers, with reasons.
- ``candidates``: papers like a topic's own that it does not list.
- ``annotations``: ``check`` problems as GitHub workflow commands.
"""
