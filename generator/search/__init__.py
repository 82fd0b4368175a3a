"""Search: the pages' index copies, the facet file, the search page, Pagefind."""
