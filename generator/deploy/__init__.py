"""Deploy: what happens to the built site after the build and its search index.

- ``plan``: which months of paper pages must leave the main site for it to
  fit GitHub Pages' limit, and which volume takes each (oldest first).
- ``volumes``: doing it: the months moved into ``volumes/<name>/``, each
  volume's assets, the 404 redirects between the sites.
- ``links``: a moved page's links, each pointed at the site that holds its target.

A volume is another GitHub Pages site of the same owner, so of the same
origin (``https://OWNER.github.io/VOLUME/``): a path swap is all a link needs,
and the search index stays whole in the main site (docs/running.md, "When the
archive outgrows one Pages site").
"""
