/* The search page (/search/, generator/templates/search.html).
 *
 * Its state is its URL: ?q=TEXT, &author=NAME, &topic=SLUG, &year=YYYY,
 * &category=cs.XX (each repeatable), &code=1, &sort=relevance|newest|oldest,
 * &page=N. Every change pushes a new URL, so Back and Forward step through
 * searches, and a URL opens the search it names. Pagefind finds the words;
 * the facet file filters (OR within a facet, AND across facets), sorts and
 * counts (each facet's counts are for the current query and the other
 * facets' choices). An arXiv id or URL opens
 * its paper at once; an author's link searches for the author token the
 * index holds for every author (generator/search/records.py). */
/* search.js's loader of Pagefind (one bundle or parts, the newest first), for when this script runs first: keep the two in step. */
window.pagefindParts ??= (bundle, parts, options) => (window.pagefindLoaded ??= {})[bundle.href] ??= (() => {
  const part = (i) => (i ? new URL(`../pagefind-${i}/`, bundle) : bundle);
  // Every bundle holds the same script: the first's is the one the search page preloads.
  const newest = import(new URL("pagefind.js", bundle).href).then(async (module) => {
    await module.options({ ...options, basePath: part(parts - 1).pathname });
    await module.init();
    return module;
  });
  let merged = null;
  const { baseUrl, excerptLength } = options;
  return {
    parts,
    newest,  // the newest part alone until all() is called (the whole index when it is one part)
    merging: () => merged !== null || parts < 2,  // true: a search now asks every part
    all: () => (merged ??= newest.then(async (module) => {
      await Promise.all(Array.from({ length: parts - 1 }, (_, i) =>
        module.mergeIndex(part(i).pathname, { baseUrl, excerptLength })));
      return module;
    })),
  };
})();

(() => {
  "use strict";
  const form = document.getElementById("archive-search");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const input = $("archive-search-q"), sortSelect = $("archive-search-sort");
  const statusLine = $("archive-search-status"), advice = $("archive-search-advice");
  const list = $("archive-search-results"), pager = $("archive-search-pager");
  const facetStatus = $("archive-search-facets-status"), chips = $("archive-search-chips");
  const heading = document.querySelector(".md-content h1");
  const bundle = new URL(form.dataset.bundle, location.href);
  const root = new URL(form.dataset.root, location.href);
  const topicNames = JSON.parse($("archive-search-topics").textContent);
  const KEYS = ["topic", "year", "category", "code"];
  const LABEL = { topic: "Topic", year: "Year", category: "Category", code: "Code" };
  const PAGE = 20;
  let pagefind = null, generation = 0;

  // --- state <-> URL --------------------------------------------------------
  function readState(search = location.search) {
    const params = new URLSearchParams(search);
    const state = { q: (params.get("q") || "").trim(), author: (params.get("author") || "").trim(),
                    sort: params.get("sort") || "", page: Math.max(1, parseInt(params.get("page"), 10) || 1) };
    for (const key of KEYS) state[key] = [...new Set(params.getAll(key).filter(Boolean))];
    if (!["relevance", "newest", "oldest"].includes(state.sort)) state.sort = "";
    return state;
  }
  function stateUrl(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.author) params.set("author", state.author);
    for (const key of KEYS) for (const value of state[key]) params.append(key, value);
    if (state.sort) params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : "");
  }
  const sortOf = (state) => state.sort || (state.q ? "relevance" : "newest");

  // --- the author token, as generator/search/records.py makes it -----------
  const ALPHABET = "bcdfghjklmnpqrtvwxz";
  function fnv1a(bytes, seed) {
    let value = seed >>> 0;
    for (const byte of bytes) value = Math.imul(value ^ byte, 0x01000193) >>> 0;
    let letters = "";
    for (let i = 0; i < 8; i++) { letters += ALPHABET[value % 19]; value = Math.floor(value / 19); }
    return letters;
  }
  function authorToken(name) {
    const bytes = new TextEncoder().encode(name.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean).join(" "));
    return `zq${fnv1a(bytes, 0x811C9DC5)}${fnv1a(bytes, 0x050C5D1F)}`;
  }

  // --- Pagefind, for the words; the facet file, for everything else -------
  /* Pagefind finds the pages that hold the words (and their excerpts); the
   * facet file (generator/search/facets.py) says which row each page is, and
   * each row's topics, year, categories and code as bitsets, newest first.
   * Filtering, sorting and counting are done here, in milliseconds: Pagefind's
   * own filters took seconds at 30,000 papers (docs/search.md, "Why it is built this way"). Both
   * start loading at once; a plain text search sorted by relevance shows its
   * results without waiting for the facet file. */
  const facetsUrl = new URL(form.dataset.facets, location.href);
  let facetData = null;
  const parts = Number(form.dataset.parts) || 1;
  function load() {
    // noWorker: the worker is one more script to fetch before the index (170 ms at 30,000 papers).
    pagefind ??= window.pagefindParts(bundle, parts, { baseUrl: root.pathname, excerptLength: 30, noWorker: true });
    return pagefind;
  }
  /* As Pagefind reads its files: a server may send them decompressed already (Content-Encoding: gzip). */
  async function gunzip(response) {
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.buffer;
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }
  function parseFacets(buffer) {
    const bytes = new Uint8Array(buffer), view = new DataView(buffer);
    if (new TextDecoder().decode(bytes.subarray(0, 4)) !== "AFC1") throw new Error("the facet file is not one");
    const length = view.getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    const n = header.count;
    let pos = (8 + length + 3) & ~3;
    const hashes = new Uint32Array(buffer, pos, n);
    pos += 4 * n;
    // An index in parts: each row's part, whose bundle holds its fragment.
    const partOf = header.parts > 1 ? bytes.subarray(pos, pos + n) : new Uint8Array(n);
    if (header.parts > 1) pos += (n + 3) & ~3;
    const width = (n + 7) >> 3, bits = {}, values = {};
    for (const [key, list] of header.keys) {
      values[key] = list;
      bits[key] = new Map(list.map((value) => { const set = bytes.subarray(pos, pos + width); pos += width; return [value, set]; }));
    }
    // Page hashes as numbers: a Map of 30,000 numbers builds in a few ms, of strings in 40.
    const byHash = new Map(), odd = new Map(Object.entries(header.ids)), oddOf = new Map([...odd].map(([id, r]) => [r, id]));
    for (let r = 0; r < n; r++) if (hashes[r]) byHash.set(hashes[r], r);
    // A hash two parts' pages share: the result's URL tells which row it is.
    const shared = new Map(Object.entries(header.shared || {}));
    for (const [id, rows] of shared) for (const [r] of rows) oddOf.set(r, id);
    const hex = new RegExp(`^${header.prefix}[0-9a-f]{${header.width}}$`);
    const rowOf = { get: (id) => odd.get(id) ?? (hex.test(id) ? byHash.get(parseInt(id.slice(header.prefix.length), 16)) : undefined) };
    /* A Pagefind result's row (undefined: not a paper); a shared hash costs its fragment. */
    async function rowOfResult(result) {
      const rows = shared.get(result.id);
      if (!rows) return rowOf.get(result.id);
      const data = await result.data();
      return rows.find(([, url]) => url === (data.raw_url ?? data.url))?.[0];
    }
    const idOf = (r) => oddOf.get(r) ?? header.prefix + hashes[r].toString(16).padStart(header.width, "0");
    return { n, bits, values, rowOf, rowOfResult, idOf, partOf };
  }
  // A failure is not kept: the next search asks again.
  const loadFacets = () => (facetData ??= fetch(facetsUrl).then(gunzip).then(parseFacets)
    .catch((error) => { facetData = null; throw new FacetsError(error.message); }));
  class FacetsError extends Error {}
  /* A row Pagefind has no result object for (a search without words): its fragment, read as Pagefind would. */
  async function fragment(facets, row) {
    const base = facets.partOf[row] ? new URL(`../pagefind-${facets.partOf[row]}/`, bundle) : bundle;
    const text = new TextDecoder().decode(await fetch(new URL(`fragment/${facets.idOf(row)}.pf_fragment`, base)).then(gunzip));
    const data = JSON.parse(text.slice("pagefind_dcd".length));
    data.url = root.pathname.replace(/\/$/, "") + data.url;
    return data;
  }
  const has = (facets, key, value, row) => { const set = facets.bits[key].get(value); return set ? (set[row >> 3] >> (row & 7)) & 1 : 0; };
  /* OR within a facet, AND across facets; ``skip`` leaves one facet (or one of its values) out. */
  function passes(facets, state, row, skip = null) {
    for (const key of KEYS) {
      const chosen = state[key].filter((v) => !(skip && skip.key === key && (skip.value === undefined || skip.value === v)));
      if (chosen.length && !chosen.some((value) => has(facets, key, value, row))) return false;
    }
    return true;
  }
  function termOf(state) {
    const words = [state.q, state.author ? authorToken(state.author) : ""].filter(Boolean).join(" ");
    return words || null;  // null: every paper, narrowed by the facets
  }
  /* Every paper the words match ({row, result}; every row when there are no words), before the facets narrow them. */
  async function candidates(state) {
    const term = termOf(state);
    if (!term) {
      const facets = await loadFacets();
      return { facets, hits: Array.from({ length: facets.n }, (_, row) => ({ row, result: null })) };
    }
    const search = await (await load().all()).search(term);
    const facets = plain(state) ? null : await loadFacets();  // a plain search shows its results first
    const hits = facets ? await Promise.all(search.results.map(async (result) => ({ result, row: await facets.rowOfResult(result) })))
      : search.results.map((result) => ({ result, row: undefined }));
    return { facets, hits: facets ? hits.filter((hit) => hit.row !== undefined) : hits };
  }
  /* Words, no facet chosen, by relevance: Pagefind's order is the answer, the facet file waits. */
  const plain = (state) => Boolean(termOf(state)) && !KEYS.some((key) => state[key].length) && sortOf(state) === "relevance";
  function narrowed(facets, state, hits) {
    if (!facets) return hits;
    const kept = hits.filter((hit) => passes(facets, state, hit.row));
    const sort = sortOf(state);
    if (sort === "newest") kept.sort((a, b) => a.row - b.row);  // rows are newest first
    else if (sort === "oldest") kept.sort((a, b) => b.row - a.row);
    return kept;
  }
  /* Each facet's counts: the matches that every other facet's choices allow. */
  function countFacets(facets, state, hits) {
    const counts = {};
    for (const key of KEYS) {
      const values = facets.values[key], sets = values.map((value) => facets.bits[key].get(value));
      const tally = new Array(values.length).fill(0);
      for (const hit of hits) {
        if (!passes(facets, state, hit.row, { key })) continue;
        const byte = hit.row >> 3, bit = 1 << (hit.row & 7);
        for (let i = 0; i < sets.length; i++) if (sets[i][byte] & bit) tally[i]++;
      }
      counts[key] = Object.fromEntries(values.map((value, i) => [value, tally[i]]));  // 0 too: shown disabled
    }
    return counts;
  }

  // --- rendering ------------------------------------------------------------
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter((c) => c !== null && c !== undefined && c !== ""));
    return node;
  };
  const plural = (n, one, many) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
  const valueLabel = (key, value) => key === "topic" ? (topicNames[value] || value) : key === "code" ? "With code" : value;

  /* The title as the paper page shows it: our build's MathML for TeX, kept
   * element by element from an allow-list (no attribute but mathvariant and
   * display); anything else becomes its text. */
  const MATH = new Set(["math", "mi", "mn", "mo", "ms", "mtext", "mrow", "msup", "msub", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mspace", "semantics", "annotation", "mstyle", "mpadded", "mphantom", "mtable", "mtr", "mtd"]);
  function safeTitle(html, fallback) {
    if (!html) return document.createTextNode(fallback);
    const template = document.createElement("template");
    template.innerHTML = html;
    const copy = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
      const name = node.localName;
      if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode("");
      if (!MATH.has(name) && name !== "code") return document.createTextNode(node.textContent);
      const out = node.namespaceURI === "http://www.w3.org/1998/Math/MathML"
        ? document.createElementNS(node.namespaceURI, name) : document.createElement(name === "code" ? "code" : "span");
      for (const attribute of ["mathvariant", "display", "encoding"]) {
        if (node.hasAttribute(attribute)) out.setAttribute(attribute, node.getAttribute(attribute));
      }
      out.append(...[...node.childNodes].map(copy));
      return out;
    };
    const span = document.createElement("span");
    span.append(...[...template.content.childNodes].map(copy));
    return span;
  }
  function authorLink(name) {
    const href = new URL("search/", root);
    href.searchParams.set("author", name);
    return el("a", { href: href.pathname + href.search, textContent: name });
  }
  function resultItem(data, state) {
    const meta = data.meta || {};
    const names = (meta.names || "").split("; ").filter(Boolean);
    const authors = el("div", { className: "paper-item__authors" });
    names.forEach((name, i) => { if (i) authors.append(", "); authors.append(authorLink(name)); });
    if (meta.more) authors.append(` and ${meta.more} more`);
    const topics = (meta.topics || "").split(" ").filter(Boolean);
    const line = el("div", { className: "paper-item__meta" },
      el("span", { className: "paper-item__id", textContent: meta.id || "" }),
      el("span", { className: "paper-item__date", textContent: meta.date || "" }),
      el("span", { className: "paper-item__category", textContent: meta.category || "" }),
      meta.code ? el("span", { className: "paper-item__code", textContent: "code" }) : null,
      /^https:\/\/arxiv\.org\//.test(meta.pdf || "") ? el("a", { className: "paper-item__pdf", href: meta.pdf, textContent: "PDF" }) : null);
    // The venue and the authors' comment, as a listing entry shows them (text only).
    const venue = meta.journal || meta.comment ? el("div", { className: "paper-item__comment" },
      meta.journal ? el("span", { className: "paper-item__journal", textContent: meta.journal }) : null,
      meta.journal && meta.comment ? " · " : null, meta.comment || null) : null;
    const item = el("li", { className: "paper-item" },
      meta.withdrawn ? el("span", { className: "paper-item__withdrawn", textContent: "Withdrawn" }) : null,
      meta.withdrawn ? " " : null,
      el("a", { className: "paper-item__title", href: data.url }, safeTitle(meta.title_html, meta.title || data.url)),
      meta.headline ? el("div", { className: "paper-item__headline", textContent: meta.headline }) : null,
      line, names.length ? authors : null, venue,
      topics.length ? el("div", { className: "paper-item__topics", textContent: "Topics: " + topics.map((t) => topicNames[t] || t).join(", ") }) : null,
      state.q && data.content ? window.paperMatch.excerpt(data, state.q, 30, "archive-search__excerpt") : null);
    return item;
  }

  /* Each facet's values: topics and categories by count (then name), years newest first; a value
   * without a match last. The first FEW that match show; the rest wait behind "Show all". */
  const FEW = 8;
  const expanded = new Set();  // the facets whose every value the reader asked to see
  function renderFacets(state, counts) {
    for (const fieldset of form.querySelectorAll("fieldset[data-key]")) {
      const key = fieldset.dataset.key;
      const values = fieldset.querySelector(".archive-search__values");
      const known = counts[key] || {};
      let order = Object.keys(known);
      if (key === "topic") order = [...new Set([...Object.keys(topicNames), ...order])];
      for (const v of state[key]) if (!order.includes(v)) order.push(v);
      const name = (v) => String(valueLabel(key, v)).toLocaleLowerCase("en");
      if (key === "year") order.sort((a, b) => b.localeCompare(a));
      else order.sort((a, b) => (known[b] || 0) - (known[a] || 0) || name(a).localeCompare(name(b), "en"));
      order.sort((a, b) => !(known[a] || state[key].includes(a)) - !(known[b] || state[key].includes(b)));  // stable: no match last
      const live = order.filter((v) => known[v] || state[key].includes(v)).length;
      const shown = expanded.has(key) ? order.length : Math.max(Math.min(FEW, live), state[key].length ? order.findLastIndex((v) => state[key].includes(v)) + 1 : 0);
      values.replaceChildren(...order.map((value, i) => {
        const count = known[value] || 0;
        const checked = state[key].includes(value);
        const box = el("input", { type: "checkbox", name: key, value, checked, disabled: count === 0 && !checked });
        const label = el("label", { className: "archive-search__facet" + (count === 0 && !checked ? " archive-search__facet--none" : ""), hidden: i >= shown },
          box, ` ${valueLabel(key, value)} `, el("span", { className: "archive-search__count", textContent: `(${count.toLocaleString("en")})` }));
        return label;
      }));
      if (shown < order.length) {
        const rest = order.length - shown, none = order.length - live;
        const noun = { topic: ["topic", "topics"], year: ["year", "years"], category: ["category", "categories"], code: ["value", "values"] }[key];
        const button = el("button", { type: "button", className: "archive-search__all",
          textContent: `Show all ${plural(order.length, ...noun)} (${rest === none ? `${rest} with no match` : `${rest} more`})` });
        button.addEventListener("click", () => {
          expanded.add(key);
          values.querySelectorAll("label[hidden]").forEach((label) => { label.hidden = false; });
          values.querySelectorAll("label")[shown]?.querySelector("input:not(:disabled)")?.focus();
          button.remove();
        });
        values.append(button);
      }
      fieldset.hidden = live === 0;  // no value with a match, none chosen: nothing to offer
    }
  }

  /* The filters that have no checkbox on the page (an author's link): each a chip that removes it. */
  function renderChips(state) {
    chips.replaceChildren();
    if (!state.author) return;
    const remove = el("a", { href: stateUrl({ ...state, author: "", page: 1 }), className: "archive-search__chip-remove",
                             title: "Show every author's papers", textContent: "✕" });
    remove.setAttribute("aria-label", `Remove the author filter: ${state.author}`);
    chips.append(el("p", {}, "Only papers by ",
      el("span", { className: "archive-search__chip" }, el("strong", { textContent: state.author }), " ",
        remove),
      ". A new search keeps this filter."));
  }

  function renderPager(state, total) {
    const pages = Math.ceil(total / PAGE);
    pager.replaceChildren();
    if (pages <= 1) return;
    const link = (page, text, rel) => el("a", { className: "md-button", href: stateUrl({ ...state, page }), rel, textContent: text });
    if (state.page > 1) pager.append(link(state.page - 1, "← Previous", "prev"), " ");
    pager.append(el("span", { className: "archive-pager__status", textContent: `Page ${state.page} of ${pages}` }));
    if (state.page < pages) pager.append(" ", link(state.page + 1, "Next →", "next"));
  }

  /* Each chosen filter, and how many results the search would have without it. */
  function adviseDropping(facets, state, hits) {
    const chosen = KEYS.flatMap((key) => state[key].map((value) => ({ key, value })));
    if (!chosen.length) {
      advice.append(el("p", { textContent: state.q || state.author ? "No paper matches these words, with no filter chosen: try fewer or other words." : "The archive has no papers yet." }));
      return;
    }
    const count = (skip) => hits.reduce((n, hit) => n + passes(facets, state, hit.row, skip), 0);
    const tips = chosen.map((one) => ({ ...one, count: count(one) })).filter((tip) => tip.count);
    const items = tips.map((tip) => {
      const next = { ...state, page: 1, [tip.key]: state[tip.key].filter((v) => v !== tip.value) };
      return el("li", {}, el("a", { href: stateUrl(next), textContent: `Drop ${LABEL[tip.key]}: ${valueLabel(tip.key, tip.value)}` }),
        ` (${plural(tip.count, "paper", "papers")})`);
    });
    const none = { ...state, page: 1, topic: [], year: [], category: [], code: [] };
    if (hits.length && chosen.length > 1) {
      items.push(el("li", {}, el("a", { href: stateUrl(none), textContent: "Drop every filter" }), ` (${plural(hits.length, "paper", "papers")})`));
    }
    const nothing = termOf(state) ? "No paper matches, even without the filters: try other words." : "The archive has no papers yet.";
    advice.append(el("p", { textContent: items.length ? "No paper matches every filter. To see some:" : nothing }));
    if (items.length) advice.append(el("ul", {}, ...items));
  }

  /* The query with each word no paper holds replaced by a close spelling that occurs, or null.
   * Candidates: the words Pagefind's shorter prefix matched, else those its first two letters match. */
  async function closeSpelling(query, unknown, best, datas) {
    let meant = query;
    for (const word of unknown.slice(0, 3)) {
      let near = best.length ? window.paperMatch.closest(word, best, datas) : null;
      if (!near && word.length >= 4) {
        const more = (await (await load().all()).search(word.slice(0, 2))).results.slice(0, PAGE);
        near = window.paperMatch.closest(word, more, await Promise.all(more.map((result) => result.data())));
      }
      if (near) meant = meant.replace(new RegExp(`(^|[^\\p{L}\\p{N}])${word}(?=$|[^\\p{L}\\p{N}])`, "iu"), `$1${near}`);
    }
    return meant !== query ? meant : null;
  }

  /* The first page of a search by words, on an index in parts (search.js, pagefindParts):
   * the newest part's results show while the other parts load: by relevance, its best;
   * with facets or newest first, those of its results the facet file lets through, in
   * its order (rows are newest first, and the newest part holds the newest months). The
   * merged results then replace them, and only those are counted and announced (the
   * status says "Searching…" till then). */
  const fromNewest = (state) => Boolean(termOf(state)) && sortOf(state) !== "oldest" && state.page === 1;
  async function newestFirst(state, mine) {
    const results = (await (await load().newest).search(termOf(state))).results;
    if (mine !== generation || !results.length) return;
    let hits = results.map((result) => ({ result, row: undefined }));
    if (!plain(state)) {
      const facets = await loadFacets().catch(() => null);  // a failure is reported by the search that follows
      if (!facets || mine !== generation) return;
      const rows = await Promise.all(hits.map(async (hit) => ({ ...hit, row: await facets.rowOfResult(hit.result) })));
      hits = narrowed(facets, state, rows.filter((hit) => hit.row !== undefined));
    }
    const best = results.slice(0, PAGE), shown = hits.slice(0, PAGE).map((hit) => hit.result);
    const [bestData, datas] = await Promise.all([best, shown].map((group) => Promise.all(group.map((result) => result.data()))));
    if (mine !== generation || !shown.length) return;
    if (state.q && window.paperMatch?.missing(state.q, best, bestData).length) return;  // older papers may hold it
    list.replaceChildren(...datas.map((data) => resultItem(data, state)));
    pager.replaceChildren();
  }

  async function show(state) {
    const mine = ++generation;
    try {
      await search(state, mine);
    } catch (error) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { generation: mine });
    }
  }
  async function search(state, mine) {
    form.setAttribute("aria-busy", "true");  // until the facets too are up to date
    input.value = state.q;
    sortSelect.value = sortOf(state);
    heading.textContent = state.author ? `Papers by ${state.author}` : "Search";
    document.title = `${state.author ? `Papers by ${state.author}` : state.q ? `${state.q}: search` : "Search"} - ${document.title.split(" - ").pop()}`;
    advice.replaceChildren();
    renderChips(state);
    // Pagefind and the facet file start loading at once, but not for an arXiv id (its paper opens)
    // (a plain search reads the facet file after its results: parsing it would hold up Pagefind's start)
    if (!(state.q && !state.author && window.paperIds?.bare(state.q))) { if (termOf(state)) load(); if (!plain(state)) loadFacets().catch(() => {}); }  // failures: where awaited
    if (state.q && !state.author) {  // an arXiv id or URL: straight to the paper
      const located = await window.paperIds?.locate(state.q, root);
      if (mine !== generation) return;  // the reader has moved on: neither open the paper nor advise
      if (located?.url) { location.replace(located.url); return; }
      if (located) advice.append(el("p", {}, `arXiv:${located.id} is not in this archive; `,
        el("a", { href: `https://arxiv.org/abs/${located.id}`, textContent: "open it on arXiv" }), "."));
    }
    statusLine.textContent = "Searching…";
    if (fromNewest(state) && !load().merging()) await newestFirst(state, mine);
    if (mine !== generation) return;
    const found = await candidates(state);
    if (mine !== generation) return;
    // Pagefind answers a word no paper holds with a shorter prefix's papers ("byzantine": "by"):
    // its best results say what it matched (search.js, paperMatch).
    let unknown = [];
    if (state.q && found.hits.length && window.paperMatch) {
      const best = found.hits.filter((hit) => hit.result).slice(0, PAGE).map((hit) => hit.result);
      const datas = await Promise.all(best.map((result) => result.data()));
      if (mine !== generation) return;
      unknown = window.paperMatch.missing(state.q, best, datas);
      Object.assign(found, { best, datas });
      if (unknown.length) found.hits = [];
    } else if (state.q && !found.hits.length && window.paperMatch?.queryWords(state.q).length === 1) {
      unknown = window.paperMatch.queryWords(state.q);  // nothing at all, for one word: that word
    }
    if (unknown.length) {
      const meant = await closeSpelling(state.q, unknown, found.best || [], found.datas || []);
      if (mine !== generation) return;
      if (meant) advice.append(el("p", {}, "Did you mean ", el("a", { href: stateUrl({ ...state, q: meant, page: 1 }), textContent: meant }), "?"));
    }
    const kept = narrowed(found.facets, state, found.hits);
    const total = kept.length;
    const pages = Math.max(1, Math.ceil(total / PAGE));
    if (state.page > pages) state.page = pages;
    const shown = kept.slice((state.page - 1) * PAGE, state.page * PAGE);
    const datas = await Promise.all(shown.map((hit) => hit.result ? hit.result.data() : fragment(found.facets, hit.row)));
    if (mine !== generation) return;
    // The newest part's results may be on show, focus on one: it stays on that paper, or the first result.
    const focused = list.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
    list.replaceChildren(...datas.map((data) => resultItem(data, state)));
    if (focused !== null) (titles().find((a) => a.getAttribute("href") === focused) || titles()[0])?.focus();
    renderPager(state, total);
    const order = { relevance: "by relevance", newest: "newest first", oldest: "oldest first" }[sortOf(state)];
    if (unknown.length) statusLine.replaceChildren(...window.paperMatch.noneMention(unknown));
    else statusLine.textContent = total === 0 ? "No matching papers."
      : `${plural(total, "paper", "papers")}, ${order}` + (pages > 1 ? `; page ${state.page} of ${pages}.` : ".");
    // Then the facets' counts, once the facet file is here (a plain search did not wait for it).
    facetStatus.textContent = "Counting the filters…";
    let facets;
    try {
      facets = await loadFacets();
    } catch (error) {  // the results above stand; only the filters are missing
      if (mine !== generation) return;
      facetStatus.textContent = `The filters could not be loaded (${error.message}); a search by words alone still works.`;
      form.setAttribute("aria-busy", "false");
      return;
    }
    if (mine !== generation) return;
    const hits = found.facets ? found.hits : (await Promise.all(found.hits.map(async (hit) => ({ ...hit, row: await facets.rowOfResult(hit.result) }))))
      .filter((hit) => hit.row !== undefined);
    if (mine !== generation) return;
    renderFacets(state, countFacets(facets, state, hits));
    const anyFacet = [...form.querySelectorAll("fieldset[data-key]")].some((fieldset) => !fieldset.hidden);
    facetStatus.textContent = anyFacet ? "Filter counts are for these results." : "";
    if (total === 0 && !unknown.length) adviseDropping(facets, state, hits);
    form.setAttribute("aria-busy", "false");
  }

  // --- events ---------------------------------------------------------------
  function go(change) {
    const next = { ...readState(), ...change };
    history.pushState(null, "", stateUrl(next));
    show(next).catch(failed);
  }
  /* Only the latest search reports (an earlier one failing late says nothing), and it is no longer busy. */
  function failed(error) {
    if (error.generation !== undefined && error.generation !== generation) return;
    statusLine.textContent = error instanceof FacetsError
      ? `The filters could not be loaded (${error.message}): only a search by words, by relevance, works now.`
      : `Search failed: ${error.message}`;
    list.replaceChildren();
    pager.replaceChildren();
    form.setAttribute("aria-busy", "false");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go({ q: input.value.trim(), page: 1, sort: readState().sort });
  });
  sortSelect.addEventListener("change", () => go({ sort: sortSelect.value, page: 1 }));
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox") return;
    const state = readState();
    const values = state[box.name].filter((v) => v !== box.value);
    if (box.checked) values.push(box.value);
    go({ [box.name]: values, page: 1 });
    requestAnimationFrame(() => form.querySelector(`input[name="${box.name}"][value="${CSS.escape(box.value)}"]`)?.focus());
  });
  document.addEventListener("click", (event) => {  // pager and advice links: no reload
    const link = event.target.closest("a");
    if (!link || !(pager.contains(link) || advice.contains(link) || list.contains(link) || chips.contains(link)) || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const url = new URL(link.href);
    if (url.pathname !== location.pathname) return;
    event.preventDefault();
    history.pushState(null, "", url.pathname + url.search);
    const removed = chips.contains(link);
    show(readState()).then(() => { if (pager.contains(link)) list.querySelector("a")?.focus(); else if (removed) input.focus(); }).catch(failed);
  });
  window.addEventListener("popstate", () => show(readState()).catch(failed));

  /* Back from a paper: the results where the reader left them, focus on the one opened.
   * Opening a result notes it and the scroll in this history entry; the page, shown
   * again (from the browser's cache or afresh), puts both back once its results are in. */
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";  // the results come after the load
  list.addEventListener("click", (event) => {
    const link = event.target.closest("a.paper-item__title");
    if (link) history.replaceState({ ...history.state, opened: link.getAttribute("href"), scroll: window.scrollY }, "");
  });
  function restore() {
    const { opened, scroll } = history.state || {};
    if (!opened) return;
    const link = [...list.querySelectorAll("a.paper-item__title")].find((a) => a.getAttribute("href") === opened);
    if (link) {
      window.scrollTo(0, scroll || 0);
      link.focus({ preventScroll: true });
    }
  }
  window.addEventListener("pageshow", (event) => { if (event.persisted) restore(); });

  /* Arrows move from the box through the results' titles; Escape goes back. */
  const titles = () => [...list.querySelectorAll(".paper-item__title")];
  form.addEventListener("keydown", (event) => {
    const all = titles(), at = all.indexOf(event.target);
    if (event.key === "ArrowDown" && (event.target === input || at >= 0)) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)]?.focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (event.key === "Escape" && event.target !== input) {
      input.focus();
    }
  });

  // This script is async: it may run before the page has finished parsing. Pagefind
  // starts loading now; the search waits for search.js (window.paperIds, for arXiv ids).
  const early = readState();
  if (termOf(early) && !/\d{4}\.\d{4,5}|\/\d{7}/.test(early.q)) load();
  const start = () => show(readState()).then(restore).catch(failed);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
