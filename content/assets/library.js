/* The reader's library: saved papers, follows, exports, suggestions.
 *
 * Loaded by /library/ and, on the first Save or for a home page whose reader
 * follows something, by assets/library-loader.js. Everything is kept in this
 * browser's localStorage under one key per site (several archives can share
 * an origin, as GitHub Pages sites do), as versioned JSON:
 *   { schema: 1, papers: { id: { id, saved, note, tags, record, seenVersion } },
 *     follows: { key: { kind, label, query, seen } }, build }
 * A record is the paper's entry in library/m/<YYMM>-<x>.json (generator/site/library_data.py),
 * kept with it so that the library, its exports and suggestions work offline.
 * A stored value that is not this (corrupt, another program's, a newer schema)
 * is left untouched, reported, and copied aside before anything is written.
 * Nothing leaves the browser: the only requests are for this site's own JSON. */
(() => {
  "use strict";
  if (window.archiveLibrary) return;
  const SCHEMA = 1;
  const root = new URL("../", document.currentScript.src);
  const KEY = `archive-library:${root.pathname}`;
  const ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})$/;
  let problem = null;  // why the stored value was not used, once
  const listeners = new Set();

  // --- storage ---------------------------------------------------------------
  const empty = () => ({ schema: SCHEMA, papers: {}, follows: {} });
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  function validPaper(p, id) {
    return isObject(p) && p.id === id && ID.test(id) && typeof p.saved === "string" && isObject(p.record)
      && typeof p.record.bibtex === "string" && typeof p.record.title === "string" && Array.isArray(p.record.authors);
  }
  /* The stored value as this page reads it, or null; ``dropped`` counts the entries it could not read. */
  function clean(data, dropped = { count: 0 }) {
    if (!isObject(data) || data.schema !== SCHEMA || !isObject(data.papers) || !isObject(data.follows)) return null;
    const out = empty();
    for (const [id, p] of Object.entries(data.papers)) {
      if (!validPaper(p, id)) { dropped.count++; continue; }
      out.papers[id] = { id, saved: p.saved, record: p.record, note: typeof p.note === "string" ? p.note : "",
                         tags: Array.isArray(p.tags) ? p.tags.filter((t) => typeof t === "string" && t) : [],
                         seenVersion: Number.isInteger(p.seenVersion) ? p.seenVersion : p.record.version };
    }
    for (const [key, f] of Object.entries(data.follows)) {
      if (!isObject(f) || !["topic", "search"].includes(f.kind) || !isObject(f.query) || typeof f.label !== "string") { dropped.count++; continue; }
      out.follows[key] = { kind: f.kind, label: f.label, query: f.query,
                           seen: Array.isArray(f.seen) ? f.seen.filter((s) => typeof s === "string") : null };
    }
    if (typeof data.build === "string") out.build = data.build;  // the build whose records the papers hold
    return out;
  }
  function read() {
    let raw;
    try { raw = localStorage.getItem(KEY); } catch { problem ??= "This browser does not let the site keep anything (storage is off): the library cannot be kept."; return empty(); }
    if (raw === null) return empty();
    let data = null;
    const dropped = { count: 0 };
    try { data = clean(JSON.parse(raw), dropped); } catch { data = null; }
    if (data && dropped.count) {
      problem ??= `${dropped.count} entr${dropped.count === 1 ? "y" : "ies"} of the library stored in this browser could not be read and ${dropped.count === 1 ? "is" : "are"} left out; the value as it was is set aside, unchanged.`;
    }
    if (data) return data;
    problem ??= "The library stored in this browser could not be read (damaged, or written by something else); it was set aside, unchanged, and an empty library is shown.";
    return empty();
  }
  function write(data) {
    try {
      const raw = localStorage.getItem(KEY);
      const dropped = { count: 0 };
      if (raw !== null && (!clean(safeParse(raw), dropped) || dropped.count) && localStorage.getItem(`${KEY}:unreadable`) === null) {
        localStorage.setItem(`${KEY}:unreadable`, raw);  // kept aside, never overwritten by us
      }
      localStorage.setItem(KEY, JSON.stringify(data));
      return true;
    } catch (error) {
      say(error && error.name === "QuotaExceededError"
        ? "The browser's storage for this site is full: the change was not kept. Export the library, then remove some papers."
        : "The browser would not keep the change (storage is off or full).");
      return false;
    }
  }
  const safeParse = (raw) => { try { return JSON.parse(raw); } catch { return null; } };
  function update(change, quiet = false) {
    const data = read();
    const result = change(data);
    if (!write(data)) return null;
    if (!quiet) listeners.forEach((fn) => fn());
    return result;
  }
  window.addEventListener("storage", (event) => { if (event.key === KEY) listeners.forEach((fn) => fn()); });

  // --- messages: one live region a page ----------------------------------------
  function statusRegion() {
    let region = document.getElementById("archive-library-status");
    if (!region) {
      region = Object.assign(document.createElement("div"), { id: "archive-library-status", className: "archive-library__toast" });
      region.setAttribute("role", "status");
      document.body.append(region);
    }
    return region;
  }
  function say(text) { statusRegion().textContent = text; }

  // --- the site's data -----------------------------------------------------------
  const monthOf = (id) => (id.includes("/") ? id.split("/")[1].slice(0, 4) : id.slice(0, 4));
  /* generator/site/library_data.py's shard_path: the month, then the number modulo 16. */
  const shardOf = (id) => `library/m/${monthOf(id)}-${((parseInt(id.split("/").pop().split(".").pop().replace(/\D/g, ""), 10) || 0) % 16).toString(16)}.json`;
  const paperUrl = (id) => new URL(`papers/${monthOf(id)}/${id.replace("/", "-")}/`, root).pathname;
  const cache = new Map();
  /* A month file's format (library_data.py MONTH_SCHEMA): a record says each thing once. Its BibTeX entry
   * marks what the record says elsewhere ("\u0000" and a letter), and the page's address, "updated" (when it is
   * "published") and "more_authors" (when 0) are left out: made whole here (library_data.py whole_record),
   * so the record a reader keeps is the page's own. */
  const MONTH_SCHEMA = 2;
  const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  function whole(id, record) {
    if (!isObject(record) || typeof record.bibtex !== "string" || typeof record.title !== "string"
        || !Array.isArray(record.authors) || typeof record.published !== "string") return record;
    const r = { url: `papers/${monthOf(id)}/${id.replace("/", "-")}/`, more_authors: 0, ...record };
    r.updated ??= r.published;
    const month = r.published.slice(5, 7);
    const fields = `  year = {${r.published.slice(0, 4)}},\n`
      + (/^[0-9]{2}$/.test(month) && +month >= 1 && +month <= 12 ? `  month = ${MONTHS[+month - 1]},\n` : "")
      + `  eprint = {${id}},\n  archivePrefix = {arXiv},\n  primaryClass = {${r.category}},\n`;
    const marks = [["\u0000T", r.title], ["\u0000A", [...r.authors, ...(r.more_authors ? ["others"] : [])].join(" and ")],
                   ["\u0000Y", fields], ["\u0000U", `  url = {https://arxiv.org/abs/${id}},\n`]];
    r.bibtex = marks.reduce((text, [mark, value]) => text.replace(mark, () => value), r.bibtex);
    return r;
  }
  function fetchJSON(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, root)).then((r) => {
        if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
        return r.json();
      }).then((data) => {
        const schema = path.startsWith("library/m/") ? MONTH_SCHEMA : SCHEMA;
        if (!isObject(data) || data.schema !== schema) throw new Error(`${path} is not in the form this page reads`);
        return data;
      }).catch((error) => { cache.delete(path); throw error; }));
    }
    return cache.get(path);
  }
  async function loadIndex() {
    const data = await fetchJSON("library/index.json");
    if (!data.byId) {
      data.byId = new Map(data.papers.map((row, i) => [row[0], i]));
      data.topicAt = new Map(data.topics.map(([slug], i) => [slug, i]));
      data.categoryAt = new Map(data.categories.map((c, i) => [c, i]));
    }
    return data;
  }
  /* A column of the index kept apart (authors, titles): one from another build is fetched again. */
  async function column(index, name) {
    const path = `library/${name}.json`;
    let data = await fetchJSON(path);
    if (data.build !== index.build) {
      cache.delete(path);
      data = await fetch(new URL(path, root), { cache: "reload" }).then((r) => r.json());
      if (!isObject(data) || data.build !== index.build) throw new Error(`${path} is not of this build of the archive`);
    }
    return data.column;
  }
  const fields = (index, id) => { const r = index.papers[index.byId.get(id)]; return r && { id, withdrawn: !!(r[3] & 2), version: r[4] }; };
  /* Titles of a few papers: from the titles column when it is here, else from their record files. */
  async function titlesOf(index, ids) {
    const titles = new Map();
    if (index.titles) { for (const id of ids) titles.set(id, index.titles[index.byId.get(id)]); return titles; }
    const files = await Promise.all([...new Set(ids.map(shardOf))].map((path) => fetchJSON(path).catch(() => ({ papers: {} }))));
    for (const id of ids) titles.set(id, files.map((f) => f.papers[id]?.title).find((t) => typeof t === "string") || id);
    return titles;
  }
  /* The columns the follows need. */
  async function prepare(index, follows) {
    if (follows.some((f) => f.query.author)) index.authors ??= await column(index, "authors");
    if (follows.some((f) => f.query.q)) index.titles ??= await column(index, "titles");
    return index;
  }

  // --- saving ----------------------------------------------------------------------
  const isSaved = (id) => Object.hasOwn(read().papers, id);
  async function save(id) {
    if (!ID.test(id)) throw new Error(`${id} is not an arXiv id`);
    const month = await fetchJSON(shardOf(id));
    const record = whole(id, month.papers[id]);
    if (!isObject(record)) throw new Error(`${id} is not in this archive any more`);
    return update((data) => {
      data.papers[id] ??= { id, saved: new Date().toISOString(), note: "", tags: [], record, seenVersion: record.version };
      return true;
    });
  }
  const remove = (id) => update((data) => { delete data.papers[id]; return true; });
  async function toggle(id) {
    if (isSaved(id)) { remove(id); say("Removed from your library."); return false; }
    try {
      if (await save(id) === null) return false;
      say(`${problem ? `${problem} ` : ""}Saved to your library (kept in this browser).`);
      return true;
    } catch (error) {
      say(`Not saved: ${error.message}. (Are you offline?)`);
      return false;
    }
  }
  /* Quiet: the page that changed them redraws no list (the reader's focus stays where it is). */
  const setNote = (id, note, tags) => update((data) => {
    if (data.papers[id]) Object.assign(data.papers[id], { note, tags });
    return true;
  }, true);

  /* Once a build: each saved paper's record as this build publishes it (its page's BibTeX as it is now,
   * a DOI added, its related papers recomputed). A paper gone keeps the record it had. */
  async function refresh(index) {
    const data = read();
    if (data.build === index.build) return false;
    const ids = Object.keys(data.papers).filter((id) => index.byId.has(id));
    const files = new Map(await Promise.all([...new Set(ids.map(shardOf))].map(async (path) => [path, await fetchJSON(path)])));
    return update((d) => {
      for (const id of ids) {
        const record = whole(id, files.get(shardOf(id)).papers[id]);
        if (d.papers[id] && isObject(record) && validPaper({ ...d.papers[id], record }, id)) d.papers[id].record = record;
      }
      d.build = index.build;
      return true;
    }, true);
  }

  // --- following ---------------------------------------------------------------------
  const FILTERS = ["topic", "year", "category", "code"];
  /* A search as the search page's URL names it (words and filters; not the sort or page). */
  function searchQuery(search) {
    const params = new URLSearchParams(search), query = {};
    const q = (params.get("q") || "").trim(), author = (params.get("author") || "").trim();
    if (q) query.q = q;
    if (author) query.author = author;
    for (const key of FILTERS) {
      const values = [...new Set(params.getAll(key).filter(Boolean))].sort();
      if (values.length) query[key] = values;
    }
    return Object.keys(query).length ? query : null;
  }
  const followKey = (kind, query) => `${kind}:${JSON.stringify(query, Object.keys(query).sort())}`;
  function searchLabel(query) {
    const parts = [];
    if (query.q) parts.push(`“${query.q}”`);
    if (query.author) parts.push(`by ${query.author}`);
    for (const key of FILTERS) if (query[key]) parts.push(`${key} ${query[key].join(" or ")}`);
    return parts.join(", ");
  }
  const isFollowing = (key) => Object.hasOwn(read().follows, key);
  async function follow(kind, query, label) {
    const key = followKey(kind, query);
    let seen = null;
    try { seen = matches(await prepare(await loadIndex(), [{ query }]), { kind, query }); } catch { /* offline: the first look sets it */ }
    update((data) => { data.follows[key] ??= { kind, label, query, seen }; });
    say(`Following ${label}. New papers will show on your library's page.`);
    return key;
  }
  const unfollow = (key) => update((data) => { delete data.follows[key]; });

  /* The author token, as generator/site/library_data.py computes it (FNV-1a of the folded name, base 36). */
  function authorToken(name) {
    let value = 0x811C9DC5;
    for (const byte of new TextEncoder().encode(name.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean).join(" "))) {
      value = Math.imul(value ^ byte, 0x01000193) >>> 0;
    }
    return value.toString(36);
  }
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  /* The ids a follow matches now. A search's words are looked for in titles (the index has no abstracts). */
  function matches(index, { kind, query }) {
    let test;
    if (kind === "topic") {
      const at = index.topicAt.get(query.topic);
      test = (r) => at !== undefined && r[1].includes(at);
    } else {
      const words = query.q ? fold(query.q).split(/[^\p{L}\p{N}]+/u).filter(Boolean) : [];
      const token = query.author ? authorToken(query.author) : null;
      const topics = (query.topic || []).map((t) => index.topicAt.get(t));
      const categories = (query.category || []).map((c) => index.categoryAt.get(c));
      test = (r, i) => {
        if (token && !index.authors[i].split(" ").includes(token)) return false;
        if (topics.length && !topics.some((t) => r[1].includes(t))) return false;
        if (categories.length && !categories.some((c) => r[2].includes(c))) return false;
        if (query.year && !query.year.includes(String(r[5]))) return false;
        if (query.code && !(r[3] & 1)) return false;
        if (words.length) {
          const title = fold(index.titles[i]);
          if (!words.every((w) => title.includes(w))) return false;
        }
        return true;
      };
    }
    return index.papers.filter(test).map((r) => r[0]);
  }
  /* What is new in each follow, and the saved papers with a newer version. ``look`` marks them seen. */
  async function news(look = false) {
    const data = read(), follows = [], seenNow = {};
    const index = await prepare(await loadIndex(), Object.values(data.follows));
    for (const [key, f] of Object.entries(data.follows)) {
      const now = matches(index, f);
      const seen = new Set(f.seen || now);
      follows.push({ key, ...f, fresh: now.filter((id) => !seen.has(id)) });
      seenNow[key] = now;
    }
    const versions = Object.values(data.papers).filter((p) => fields(index, p.id)?.version > p.seenVersion)
      .map((p) => ({ paper: p, version: fields(index, p.id).version }));
    if (look) {
      update((d) => {
        for (const [key, ids] of Object.entries(seenNow)) if (d.follows[key]) d.follows[key].seen = ids;
        for (const { paper, version } of versions) if (d.papers[paper.id]) d.papers[paper.id].seenVersion = version;
      }, true);
    }
    const fresh = [...new Set(follows.flatMap((f) => f.fresh))];
    const titles = look ? await titlesOf(index, fresh) : new Map();
    for (const f of follows) f.fresh = f.fresh.map((id) => ({ id, title: titles.get(id) || id }));
    return { follows, versions, count: fresh.length + versions.length, index };
  }

  // --- suggestions -------------------------------------------------------------------
  /* Papers in the related lists of several saved papers: first by how many saved papers list
   * them, then by how high (1/rank summed). benchmarks/library_suggest.py scores the same way. */
  function suggest(papers, index, limit = 10) {
    const score = new Map(), saved = new Set(papers.map((p) => p.id));
    for (const p of papers) {
      (Array.isArray(p.record.related) ? p.record.related : []).forEach((id, rank) => {
        if (saved.has(id) || typeof id !== "string") return;
        const s = score.get(id) || { id, count: 0, weight: 0, near: [] };
        s.count += 1; s.weight += 1 / (rank + 1); s.near.push(p);
        score.set(id, s);
      });
    }
    return [...score.values()].filter((s) => !index || index.byId.has(s.id))
      .sort((a, b) => b.count - a.count || b.weight - a.weight || a.id.localeCompare(b.id)).slice(0, limit);
  }

  window.archiveLibrary = {
    root, KEY, read, update, say, problem: () => problem, onChange: (fn) => listeners.add(fn),
    isSaved, save, remove, toggle, setNote, paperUrl, monthOf, authorToken, refresh,
    searchQuery, searchLabel, followKey, isFollowing, follow, unfollow, news, loadIndex, fields, titlesOf, suggest, clean, ID,
  };
  read();  // a damaged value is reported as soon as the library's code runs
  if (problem) say(problem);
})();
