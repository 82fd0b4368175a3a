"""The script every page loads first (``assets/theme.js``): what was inline on every page.

Material puts two small scripts on every page: its storage helpers
(``__md_scope``, ``__md_get``, ``__md_set``, ``__md_hash``, which its bundle
calls) in the head, and, in this archive, the one that sets the palette the
reader's system asks for (light or dark) before the page is drawn; and its
configuration (``<script id="__config">``: the site's root, the theme's
features, two strings of the copy button), the same on every page but for
the root, which this script finds from its own address; and on a paper's
page, the page's title in the header, which only Material's script shows
(once the reader scrolls past the heading). About 1,100 bytes of every
page; as one file, the browser fetches it once. It is loaded
without ``defer`` at the start of ``<body>`` (overrides/main.html), so the
palette is set before anything below it is drawn, and the helpers and the
configuration exist before Material's bundle runs at the end of the page.
"""
from __future__ import annotations

import json

THEME_SCRIPT = "assets/theme.js"

# Material's partials/javascripts/base.html, but the scope (the site's root,
# where it keeps what it stores) found from this script's own address rather
# than from each page's relative path to the root.
_HELPERS = (
    '__md_scope=new URL("..",document.currentScript.src),'
    "__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),"
    "__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+\".\"+e)),"
    "__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+\".\"+e,JSON.stringify(_))}catch(e){}};"
)
# The palette whose media query matches, on <body>, now and when the system changes.
_PALETTE = (
    '(p=>{const b=document.body,s=()=>{const o=p.find(o=>matchMedia(o[0]).matches);'
    'o&&["scheme","primary","accent"].forEach((k,i)=>b.setAttribute("data-md-color-"+k,o[i+1].replace(/ /g,"-")))};'
    "s();p.forEach(o=>matchMedia(o[0]).addEventListener(\"change\",s))})(%s);"
)
# Material's bundle reads its configuration from #__config when it runs, and
# resolves "base" against the page's address: an absolute root serves every page.
_CONFIG = (
    '(c=>{const s=document.createElement("script");s.id="__config";s.type="application/json";'
    "c.base=__md_scope.href;s.textContent=JSON.stringify(c);document.head.append(s)})(%s);"
)


# The header's second line, Material's page title shown on scrolling, is
# left empty on a paper's page (overrides/main.html): it is <title> less
# " - <site name>", the header's first line.
_HEADER_TOPIC = (
    'document.addEventListener("DOMContentLoaded",()=>{const[s,t]=document.querySelectorAll(".md-header__topic .md-ellipsis");'
    'if(!s||!t||t.textContent)return;const e=" - "+s.textContent,d=document.title;'
    "t.textContent=d.endsWith(e)?d.slice(0,-e.length):d});"
)


def palettes(palette) -> list[list[str]]:
    """[media query, scheme, primary, accent] for each palette of mkdocs.yml's ``theme.palette``.

    ``(prefers-color-scheme)`` is Material's "follow the system" toggle entry:
    it matches everywhere, so it would always win, and is left out."""
    if isinstance(palette, dict):
        palette = [palette]
    return [[option["media"], option.get("scheme") or "default", option.get("primary") or "indigo",
             option.get("accent") or "indigo"]
            for option in palette or [] if option.get("media") and option["media"] != "(prefers-color-scheme)"]


def material_config(features, translations: dict[str, str]) -> dict:
    """Material's configuration, less the root (``theme.js`` adds it) and its own search's worker.

    ``translations``: what the copy button says (``clipboard.copy``, ``clipboard.copied``)."""
    return {"features": list(features or []), "translations": translations,
            "annotate": None, "tags": None, "version": None}


def theme_script(palette, config: dict | None = None) -> str:
    """The text of ``assets/theme.js`` for mkdocs.yml's ``theme.palette`` and Material's configuration."""
    config = config if config is not None else material_config([], {})
    data = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    return "// Written by the build (generator/site/chrome.py).\n" + _HELPERS + "\n" + \
        _PALETTE % json.dumps(palettes(palette)) + "\n" + _CONFIG % data + "\n" + _HEADER_TOPIC + "\n"
