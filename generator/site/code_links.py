"""A paper's code or artifact: the first link to a code host in its abstract or comment.

Authors announce their code in the abstract ("Code is available at
https://github.com/...") or in arXiv's comment field. A link counts when it
points at a code or artifact host (GitHub, GitLab, Codeberg, Bitbucket,
Hugging Face, Software Heritage) or is a Zenodo DOI (``10.5281/zenodo.N``,
as a bare DOI or a doi.org link) or a Software Heritage id (``swh:1:...``).
Only http(s) addresses come out: the page shows them as text-safe links.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

CODE_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "huggingface.co",
              "softwareheritage.org", "zenodo.org")

# A URL as written in running text: up to whitespace, a closing bracket or a quote.
_URL = re.compile(r"""(?i)\b(?:https?://|(?<![\w./@-])(?=(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|huggingface\.co)/))[^\s<>"'{}\\]+""")
_ZENODO_DOI = re.compile(r"(?i)\b10\.5281/zenodo\.\d+")
_SWH_ID = re.compile(r"\bswh:1:(?:cnt|dir|rev|rel|snp|ori):[0-9a-f]{40}(?:;[^\s<>\"']*)?")
_TRAILING = ".,;:!?)]}'\""


def _clean(url: str) -> str:
    """Drop the sentence's punctuation after a URL; keep a bracket the URL opened."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _host(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host


def _is_code(url: str) -> bool:
    host = _host(url)
    if not any(host == h or host.endswith("." + h) for h in CODE_HOSTS + ("doi.org",)):
        return False
    if host.endswith("doi.org"):
        return bool(_ZENODO_DOI.search(url))
    path = urlsplit(url).path.strip("/")
    return bool(path)  # a host's front page is not a paper's code


def code_links(*texts: str | None) -> list[str]:
    """Every code or artifact link in ``texts``, in order, each once, as an http(s) URL."""
    found: list[str] = []
    for text in texts:
        if not text:
            continue
        for match in _URL.finditer(text):
            url = _clean(match.group(0))
            if not url.lower().startswith(("http://", "https://")):
                url = "https://" + url
            if _is_code(url):
                found.append(url)
        # Bare ids, not inside a URL already found.
        for match in _ZENODO_DOI.finditer(text):
            if not any(match.group(0).lower() in url.lower() for url in found):
                found.append("https://doi.org/" + match.group(0))
        for match in _SWH_ID.finditer(text):
            if not any(match.group(0) in url for url in found):
                found.append("https://archive.softwareheritage.org/" + _clean(match.group(0)))
    return list(dict.fromkeys(found))


def code_link(*texts: str | None) -> str | None:
    """The first code link: the one the page's Code button opens."""
    links = code_links(*texts)
    return links[0] if links else None
