/* The header's search box (overrides/partials/paper-search.html).
 *
 * Pagefind's index is split into chunks fetched per query, so a search costs
 * a few hundred kilobytes whatever the archive's size. Nothing is loaded
 * until the box is first focused. Results use Material's own search-result
 * markup, so they look like Material's. Keyboard: "/", "s" or "f" opens the
 * box, arrows move through results, Enter opens one, Escape closes. */
/* arXiv ids and URLs, in every form a reader pastes, to the paper's page
 * in this archive: papers/YYMM/ID/ (an old-style id's slash becomes "-").
 * Shared with the search page (assets/search-page.js). */
/* Pagefind, in one bundle or in parts: past 25,000 papers the build indexes
 * the archive in parts (generator/search/pagefind.py: Pagefind holds what it indexes in
 * memory), each its own bundle beside the first (pagefind/, pagefind-1/, ...,
 * the last the newest papers). The newest part is loaded first, alone: its
 * metadata and chunks are a part's share of the whole (docs/performance.md), so
 * a search can show its results while the others load. ``all()`` then merges
 * every other part into it (Pagefind's mergeIndex: one script, one WebAssembly,
 * each part's metadata and chunks), after which a search asks them all and gets
 * their results merged by score. One load a page, shared by the header's box and
 * the search page. search-page.js keeps a copy of this (it may run first): keep the two in step. */
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

window.paperIds = (() => {
  const NEW = /^(\d{4})\.(\d{4,5})$/;
  const OLD = /^([a-z][a-z-]*)(\.[A-Za-z]{2})?\/(\d{4})(\d{3})$/;
  function bare(text) {
    let id = text.trim().replace(/^<|>$/g, "");
    id = id.replace(/^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i, "").replace(/\.pdf$/i, "");
    id = id.replace(/^arxiv:\s*/i, "").replace(/v\d+$/, "").replace(/\/+$/, "");
    return NEW.test(id) || OLD.test(id) ? id : null;
  }
  /* Where the paper would be: one place for a new id, two for an old one
   * (cs.DC/0112017 is arXiv's cs/0112017, and stored so). */
  function paths(id) {
    const m = NEW.exec(id);
    if (m) return [`papers/${m[1]}/${id}/`];
    const o = OLD.exec(id);
    const found = [`papers/${o[3]}/${o[1]}-${o[3]}${o[4]}/`];
    if (o[2]) found.push(`papers/${o[3]}/${o[1]}${o[2]}-${o[3]}${o[4]}/`);
    return found;
  }
  /* The first of those pages that exists (a HEAD request each), or null. */
  async function locate(text, root) {
    const id = bare(text);
    if (!id) return null;
    for (const path of paths(id)) {
      const url = new URL(path, root);
      try {
        if ((await fetch(url, { method: "HEAD" })).ok) return { id, url: url.href };
      } catch { /* offline or refused: not found */ }
    }
    return { id, url: null };
  }
  return { bare, paths, locate };
})();

/* What Pagefind matched, and the excerpt a result shows. Shared with the
 * search page (assets/search-page.js).
 *
 * Pagefind matches every query word as a prefix, and when no indexed word
 * starts with it, it searches a shorter prefix instead: "byzantine" finds
 * the papers that say "by", "marmalade" those dated in May. A result's data
 * says where it matched (word positions in its content, and the metadata
 * fields); a query word is found only when one of those words is
 * recognisably the reader's: it starts with the word, or shares a stem of 5
 * letters or more (at least 60% of the word: "computing" finds
 * "computation"), or is the word less a plural "s" ("gpus", "GPU").
 *
 * The excerpt is the abstract's words around the matches: the index copy
 * (generator/search/records.py) marks where the abstract starts and ends
 * with two anchors, so the title, the authors, the topics and the author
 * tokens, all searchable, are never shown as an excerpt. */
window.paperMatch = (() => {
  const SEPARATOR = /[^\S\uFEFF]+/;  // as Pagefind splits its content into word positions
  const TOKEN = /^zq[bcdfghjklmnpqrtvwxz]{16}$/;  // an author token (search_records.author_token)
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const parts = (text) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  /* The words of a query that Pagefind searches, less author tokens. */
  const queryWords = (query) => [...new Set(parts(query.replace(/"/g, " ")))].filter((word) => !TOKEN.test(word));
  function recognises(word, query) {
    let n = 0;
    while (n < word.length && n < query.length && word[n] === query[n]) n++;
    return n === query.length || (n >= 5 && n >= 0.6 * query.length)
      || (n >= 3 && n === query.length - 1 && query.endsWith("s") && n === word.length);
  }
  /* Every word a result matched: at its word positions, and in the metadata Pagefind says it matched. */
  function matched(result, data) {
    const words = (data.content || "").split(SEPARATOR);
    const found = (data.locations || []).map((at) => words[at] || "");
    const fields = result?.matchedMetaFields ?? Object.keys(data.meta || {});
    for (const field of fields) if (data.meta?.[field]) found.push(data.meta[field]);
    return found.flatMap(parts);
  }
  /* The query's words that none of these results (Pagefind's best) really matched. */
  function missing(query, results, datas) {
    const words = datas.map((data, i) => matched(results[i], data));
    return queryWords(query).filter((word) => !words.some((list) => list.some((w) => recognises(w, word))));
  }
  /* A paragraph of about ``length`` of the abstract's words, around the words matched, marked. */
  function excerpt(data, query, length, className = "") {
    const words = (data.content || "").split(SEPARATOR);
    const anchors = data.anchors || [];
    const abstract = anchors.find((a) => a.id === "pf-abstract");
    const start = abstract ? abstract.location : 0;
    const next = anchors.filter((a) => a.id !== "pf-abstract" && a.location >= start).map((a) => a.location);
    const end = abstract && next.length ? Math.min(...next) : words.length;
    const wanted = queryWords(query);
    const marks = new Set((data.locations || []).filter((at) => at >= start && at < end
      && parts(words[at] || "").some((w) => wanted.some((q) => recognises(w, q)))));
    let from = start, best = -1;
    for (const at of marks) {  // the window that holds the most matches, a third of it before the first
      const s = Math.max(start, Math.min(at - Math.floor(length / 3), end - length));
      const count = [...marks].filter((m) => m >= s && m < s + length).length;
      if (count > best) { best = count; from = s; }
    }
    const to = Math.min(end, from + length);
    const paragraph = Object.assign(document.createElement("p"), { className });
    if (from > start) paragraph.append("… ");
    for (let at = from; at < to; at++) {
      if (at > from) paragraph.append(" ");
      if (marks.has(at)) paragraph.append(Object.assign(document.createElement("mark"), { textContent: words[at] }));
      else paragraph.append(words[at]);
    }
    if (to < end) paragraph.append(" …");
    return paragraph;
  }
  /* A close spelling of ``word`` among the words these results matched (Pagefind's shorter
   * prefix finds them): one or two letters off ("sceduling": "scheduling"), or null. */
  function closest(word, results, datas) {
    const distance = (a, b) => {
      let row = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        row = next;
      }
      return row[b.length];
    };
    const most = word.length >= 9 ? 2 : word.length >= 4 ? 1 : 0;
    let best = null, bestDistance = most + 1;
    for (const candidate of new Set(datas.flatMap((data, i) => matched(results[i], data)))) {
      if (!/^\p{L}+$/u.test(candidate) || Math.abs(candidate.length - word.length) > most) continue;
      const d = distance(word, candidate);
      if (d < bestDistance || (d === bestDistance && best && candidate < best)) { best = candidate; bestDistance = d; }
    }
    return best;
  }
  /* "No paper mentions marmalade": nodes for a status line. */
  function noneMention(words) {
    const nodes = ["No paper mentions "];
    words.forEach((word, i) => {
      if (i) nodes.push(i === words.length - 1 ? " or " : ", ");
      nodes.push(Object.assign(document.createElement("em"), { textContent: word }));
    });
    nodes.push(".");
    return nodes;
  }
  return { queryWords, recognises, missing, closest, excerpt, noneMention };
})();

/* A listing names each entry's first authors as text (generator/templates/_macros.html):
 * each becomes the link to the search page's list of that author's papers, as a
 * paper's page sends them. */
(() => {
  const form = document.forms.namedItem("paper-search");
  if (!form) return;
  const search = new URL("search/", new URL(form.dataset.root, location.href));
  for (const span of document.querySelectorAll(".paper-item__authors > span")) {
    search.search = new URLSearchParams({ author: span.textContent }).toString();
    span.replaceWith(Object.assign(document.createElement("a"), { href: search.href, textContent: span.textContent }));
  }
})();

(() => {
  "use strict";
  const form = document.forms.namedItem("paper-search");
  const toggle = document.getElementById("__search");
  if (!form || !toggle) return;
  const input = form.elements.namedItem("q");
  complete(form, input);
  const bundle = new URL(form.dataset.bundle, location.href);
  const root = new URL(form.dataset.root, location.href);
  const PAGE = 10;  // results rendered at a time
  const HINT = "Type to search titles, authors, abstracts and arXiv ids";
  const { meta, list } = panel(form.parentElement);
  let pagefind = null;  // a promise, once loading has started
  let shown = [];  // results of the current query, and how many are rendered
  let rendered = 0;
  let first = null;  // the path of the paper an arXiv id in the query names

  /* What the page sends only the field of (overrides/partials/paper-search.html):
   * its combobox semantics and typing hints, Material's icons in it (drawn by
   * search.css) and its clear button, in Material's markup. */
  function complete(form, input) {
    const hints = { autocapitalize: "off", autocorrect: "off", spellcheck: "false", required: "", role: "combobox",
      "aria-expanded": "false", "aria-controls": "paper-search-results", "aria-autocomplete": "list" };
    for (const [name, value] of Object.entries(hints)) input.setAttribute(name, value);
    const icon = (name) => {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("class", `paper-search__icon paper-search__icon--${name}`);
      svg.setAttribute("aria-hidden", "true");
      return svg;
    };
    const label = Object.assign(document.createElement("label"), { className: "md-search__icon md-icon", htmlFor: "__search" });
    label.append(icon("magnify"), icon("back"));
    const clear = Object.assign(document.createElement("button"),
      { type: "reset", className: "md-search__icon md-icon", title: "Clear", tabIndex: -1 });
    clear.setAttribute("aria-label", "Clear");
    clear.append(icon("clear"));
    const options = Object.assign(document.createElement("nav"), { className: "md-search__options" });
    options.setAttribute("aria-label", "Search");
    options.append(clear);
    input.after(label, options);
  }

  /* Material's search-result panel, under the form: built here rather than
   * sent on every page, as nothing can be shown in it before this runs. */
  function panel(inner) {
    const element = (tag, className, ...children) => {
      const node = Object.assign(document.createElement(tag), { className });
      node.append(...children);
      return node;
    };
    const meta = element("div", "md-search-result__meta", HINT);
    meta.setAttribute("aria-live", "polite");
    const list = Object.assign(element("ol", "md-search-result__list"), { id: "paper-search-results" });
    const scrollwrap = element("div", "md-search__scrollwrap", element("div", "md-search-result", meta, list));
    scrollwrap.setAttribute("data-md-scrollfix", "");
    inner.append(element("div", "md-search__output", scrollwrap));
    return { meta, list };
  }

  function load() {
    // noWorker: in Pagefind's worker the first results came 450 ms later at 30,000
    // papers (its script, and every result posted back); here a search holds the
    // page for at most ~180 ms while typing (docs/performance.md, "Search").
    pagefind ??= window.pagefindParts(bundle, Number(form.dataset.parts) || 1,
      { baseUrl: root.pathname, excerptLength: 24, noWorker: true });
    return pagefind;
  }

  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));  // Material's scroll lock listens
    }
    input.setAttribute("aria-expanded", String(open && list.children.length > 0));
  }

  function status(text) {
    meta.textContent = text;
  }

  function item(data) {
    const li = Object.assign(document.createElement("li"), { className: "md-search-result__item" });
    const link = Object.assign(document.createElement("a"), { className: "md-search-result__link", href: data.url });
    const article = Object.assign(document.createElement("article"),
      { className: "md-search-result__article md-search-result__article--document md-typeset" });
    const icon = Object.assign(document.createElement("div"), { className: "md-search-result__icon md-icon" });
    const title = Object.assign(document.createElement("h1"), { textContent: data.meta.title || data.url });
    const line = Object.assign(document.createElement("p"), { className: "paper-search__meta" });
    const names = (data.meta.names || "").split("; ").filter(Boolean).join(", ");
    const authors = names + (data.meta.more ? ` and ${data.meta.more} more` : "");
    line.textContent = [data.meta.id, data.meta.date, authors].filter(Boolean).join(" · ");
    article.append(icon, title, line, data.content ? window.paperMatch.excerpt(data, input.value, 24) : document.createElement("p"));
    link.append(article);
    li.append(link);
    return li;
  }

  async function renderMore(datas = null) {
    const batch = shown.slice(rendered, rendered + PAGE);
    rendered += batch.length;
    const items = (datas || await Promise.all(batch.map((result) => result.data())))
      .filter((data) => new URL(data.url, root).pathname !== first).map(item);
    list.querySelector(".paper-search__more")?.remove();
    const all = list.querySelector(".paper-search__all");
    if (all) all.before(...items); else list.append(...items);
    if (rendered < shown.length) {
      const li = Object.assign(document.createElement("li"), { className: "md-search-result__item paper-search__more" });
      const button = Object.assign(document.createElement("button"),
        { type: "button", className: "md-search-result__more", textContent: `Show ${Math.min(PAGE, shown.length - rendered)} more` });
      button.addEventListener("click", () => { const first = rendered; renderMore().then(() => links()[first]?.focus()); });
      li.append(button);
      if (all) all.before(li); else list.append(li);
    }
    input.setAttribute("aria-expanded", String(list.children.length > 0));
  }

  /* A search runs once typing pauses (DEBOUNCE_MS), not on every key: Pagefind
   * fetches the index chunks of every word it is asked, and a word's prefixes
   * ("l", "la", "lan", ...) cost chunks of their own, about 1 MB more for "language
   * model agents" at 83,240 papers (docs/performance.md). The words already
   * finished (a space typed after them) are fetched at once: the search needs them. */
  const DEBOUNCE_MS = 200;
  // A word begun is searched at 3 letters; at 1 or 2 ("l", "la", "language m") only after a
  // longer pause: its chunks are those of every word it begins (a longer prefix's are among them).
  const SHORT_WORD_MS = 700;
  // The other parts of an index in parts are merged in once typing has paused this long:
  // while the reader types, a search asks the newest part alone (a quarter of the bytes).
  const MERGE_PAUSE_MS = 600;
  const MIN_LENGTH = 2;  // one letter matches most of the index: "Type at least 2 characters"
  let timer = 0, generation = 0, preloaded = "", lastKey = 0;

  function typed() {
    clearTimeout(timer);
    const query = input.value.trim();
    generation++;  // whatever a search before this finds, it is no longer shown
    if (query.length < MIN_LENGTH) { run().catch(failed); return; }
    status("Searching…");
    list.setAttribute("aria-busy", "true");
    const done = input.value.slice(0, input.value.search(/\S*$/)).trim();  // the words a space has followed
    if (done.length >= MIN_LENGTH && done !== preloaded) {
      preloaded = done;
      load().newest.then((module) => module.preload(done)).catch(() => {});
    }
    const begun = input.value.match(/\S*$/)[0].length;
    lastKey = performance.now();
    timer = setTimeout(() => run().catch(failed), begun > 0 && begun < 3 ? SHORT_WORD_MS : DEBOUNCE_MS);
  }

  function failed(error) {
    list.removeAttribute("aria-busy");
    status(`Search failed: ${error.message}`);
  }

  /* The newest part first, when the index has several and the others are not merged
   * yet: its results show, the other parts load once typing has paused (MERGE_PAUSE_MS),
   * then the merged results
   * replace them (not while focus is on one of them: then the count and the link to
   * all results update, and the list stays). The count is announced once, merged. */
  async function run() {
    const mine = ++generation;
    const query = input.value.trim();
    if (query.length < MIN_LENGTH) {
      shown = [];
      list.replaceChildren();
      list.removeAttribute("aria-busy");
      status(query ? "Type at least 2 characters" : HINT);
      return;
    }
    status("Searching…");
    list.setAttribute("aria-busy", "true");
    const index = load();
    const located = window.paperIds.locate(query, root);  // an arXiv id: a HEAD request, meanwhile
    if (!index.merging()) {
      const early = await (await index.newest).search(query);
      if (mine !== generation) return;
      await show(query, early, await located, mine, true);
      const pause = lastKey + MERGE_PAUSE_MS - performance.now();
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      if (mine !== generation) return;
    }
    const search = await (await index.all()).search(query);
    if (mine !== generation) return;
    await show(query, search, await located, mine, false);
  }

  /* Render a search's results; ``partial``: the newest part's, shown while the others load. */
  async function show(query, search, located, mine, partial) {
    const results = search.results;
    // The first results' data: to tell a real match from Pagefind's shorter prefix, then to show them.
    const datas = await Promise.all(results.slice(0, PAGE).map((result) => result.data()));
    if (mine !== generation) return;
    const words = window.paperMatch.queryWords(query);
    const unknown = located ? [] : results.length ? window.paperMatch.missing(query, results, datas) : words.length === 1 ? words : [];
    // The newest papers may lack a word older ones hold: only the merged results say "none".
    if (partial && (unknown.length || !results.length)) return;
    const count = unknown.length ? 0 : results.length;
    const focused = list.contains(document.activeElement);
    if (!focused || !list.children.length) {
      shown = unknown.length ? [] : results;
      rendered = 0;
      list.replaceChildren();
      first = located?.url ? new URL(located.url).pathname : null;
      if (first) {  // an arXiv id or URL: its paper first (and not again below)
        list.append(item({ url: first, meta: { title: `arXiv:${located.id}`, id: "Open the paper" }, excerpt: "" }));
      }
      await renderMore(unknown.length ? [] : datas);
      if (count > 0) list.append(allResults(query, count));
    } else if (!partial) {  // focus is on a result: the list stays, its link to all results counts them all
      const all = list.querySelector(".paper-search__all a");
      if (all) all.textContent = allResults(query, count).firstChild.textContent;
    }
    if (partial) return;  // the count is announced once, for every part
    list.removeAttribute("aria-busy");
    if (unknown.length) meta.replaceChildren(...window.paperMatch.noneMention(unknown));
    else status(count === 0 ? "No matching papers" : count === 1 ? "1 matching paper" : `${count.toLocaleString("en")} matching papers`);
  }

  /* The search page, with this query: facets, sorting and every result. */
  function allResults(query, count) {
    const li = Object.assign(document.createElement("li"), { className: "md-search-result__item paper-search__all" });
    const href = new URL("search/", root);
    href.searchParams.set("q", query);
    li.append(Object.assign(document.createElement("a"), {
      className: "md-search-result__more", href: href.href,
      textContent: count === 1 ? "Search page: filters and sorting" : `All ${count.toLocaleString("en")} results, with filters and sorting`,
    }));
    return li;
  }

  function links() {
    return [...list.querySelectorAll(".md-search-result__link, .md-search-result__more")];  // in page order
  }

  function move(from, step) {
    const all = links();
    const next = all.indexOf(from) + step;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  }

  input.addEventListener("focus", () => { setOpen(true); load().newest.catch(() => status("Search is not available")); });
  input.addEventListener("input", typed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
    else if (input.value.trim()) location.assign(allResults(input.value.trim(), 0).firstChild.href);
  });
  form.addEventListener("reset", () => setTimeout(() => { typed(); input.focus(); }));
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
    if (!toggle.checked && form.parentElement.contains(document.activeElement)) document.activeElement.blur();
  });

  /* The box closes when focus leaves it (Tab past it, a click elsewhere), not
   * when the window loses focus or a click lands inside the panel on no link. */
  const inner = form.parentElement;
  let pressedInside = false;
  inner.addEventListener("pointerdown", () => { pressedInside = true; setTimeout(() => { pressedInside = false; }, 0); });
  const fullScreen = window.matchMedia("(max-width: 59.984375em)");  // Material's phone and tablet dialog
  inner.addEventListener("focusout", (event) => {
    if (inner.contains(event.relatedTarget) || pressedInside) return;
    // On a phone the box covers the page: focus lost to nothing is the keyboard put away, not leaving.
    if (!event.relatedTarget && fullScreen.matches) return;
    setTimeout(() => {
      if (document.hasFocus() && !inner.contains(document.activeElement) && toggle.checked) setOpen(false);
    }, 0);
  });
  /* Escape closes it wherever focus is. */
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) setOpen(false);
  });

  inner.addEventListener("keydown", (event) => {
    const inResults = list.contains(event.target);
    if (event.key === "Escape") {
      setOpen(false);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      if (event.target === input) links()[0]?.focus(); else if (inResults) move(event.target, 1);
    } else if (event.key === "ArrowUp" && inResults) {
      event.preventDefault();
      move(event.target, -1);
    }
  });

  /* Material's shortcuts for its own search box. */
  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || toggle.checked) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      input.focus();
    }
  });
})();
