/* Save and Follow buttons on every page, for the reader's library (/library/).
 * Small on purpose: it is on every page. It adds a toggle button (aria-pressed)
 * to a paper's page, to each paper of a listing and of the search results, and
 * Follow buttons to a topic's page and the search page; the library's code
 * (assets/library.js) loads on the first press, or on the home page when the
 * reader follows something (to say how many papers are new). */
(() => {
  "use strict";
  const root = new URL("../", document.currentScript.src);
  const KEY = `archive-library:${root.pathname}`;
  let parsed = null;  // read once a refresh: a library of thousands of papers is a few MB of JSON
  const stored = () => { try { return (parsed ??= JSON.parse(localStorage.getItem(KEY)) || {}); } catch { return (parsed = {}); } };
  const has = (part, key) => { const value = stored()[part]; return !!value && typeof value === "object" && Object.hasOwn(value, key); };
  let library = null;
  const load = () => (library ??= window.archiveLibrary ? Promise.resolve(window.archiveLibrary) : new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src: new URL("assets/library.js", root).href });
    script.onload = () => resolve(window.archiveLibrary);
    script.onerror = () => { library = null; reject(new Error("the library's code could not be loaded")); };
    document.head.append(script);
  }));
  const buttons = [];
  function button(label, name, pressed, act) {
    const b = Object.assign(document.createElement("button"), { type: "button", className: "archive-toggle", textContent: label });
    if (name) b.setAttribute("aria-label", name);
    b.pressed = pressed;
    b.addEventListener("click", async () => {
      b.disabled = true;
      try { await act(await load()); } catch (error) { status(String(error.message)); }
      b.disabled = false;
      refresh();
    });
    buttons.push(b);
    return b;
  }
  function status(text) {
    let region = document.getElementById("archive-library-status");
    if (!region) {
      region = Object.assign(document.createElement("div"), { id: "archive-library-status", className: "archive-library__toast" });
      region.setAttribute("role", "status");
      document.body.append(region);
    }
    region.textContent = text;
  }
  function refresh() {
    parsed = null;
    for (const b of buttons) {
      b.setAttribute("aria-pressed", String(b.pressed()));
      b.label?.();
    }
  }
  const saveButton = (id, title) => button("Save", `Save ${title}`, () => has("papers", id), (lib) => lib.toggle(id));

  /* COinS, for Zotero's connector to save a listing's papers together: added here, not sent in the HTML
   * (60 bytes a paper gzipped, 390 raw). Before the page's load event, which is when Zotero looks. */
  function coins(id, title, item) {
    const fields = new URLSearchParams([["ctx_ver", "Z39.88-2004"], ["rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"],
      ["rft.genre", "preprint"], ["rft.atitle", title], ["rft_id", `info:arxiv/${id}`], ["rft_id", `https://arxiv.org/abs/${id}`]]);
    // Listings send authors as <span>s (search.js may make them links), search results as links.
    for (const author of item.querySelectorAll(".paper-item__authors a, .paper-item__authors span")) {
      fields.append("rft.au", author.textContent.trim());
    }
    const year = (item.querySelector(".paper-item__date")?.textContent ?? metaParts(item)[1] ?? "").match(/\b(?:19|20)\d{2}\b/);
    if (year) fields.append("rft.date", year[0]);
    return Object.assign(document.createElement("span"), { className: "Z3988", title: fields.toString() });
  }
  // A listing's meta line is text: "2606.04101 · 5 Jun 2026 · cs.DC · PDF" (a search result's has spans).
  const metaParts = (item) => (item.querySelector(".paper-item__meta")?.firstChild?.textContent ?? "")
    .split("\u00b7").map((part) => part.trim());
  function addToItems(scope) {
    for (const item of scope.querySelectorAll(".paper-item:not(.archive-library__paper)")) {
      const meta = item.querySelector(".paper-item__meta");
      const id = item.querySelector(".paper-item__id")?.textContent.trim() || metaParts(item)[0];
      if (!id || !meta || meta.querySelector(".archive-toggle")) continue;
      const title = item.querySelector(".paper-item__title")?.textContent.trim() || id;
      meta.append(saveButton(id, title));
      item.append(coins(id, title, item));
    }
    refresh();
  }
  const paperId = document.querySelector('meta[name="citation_arxiv_id"]')?.content;
  const links = document.querySelector(".paper__links");
  if (paperId && links) links.append(saveButton(paperId, document.querySelector(".paper__title")?.textContent.trim() || paperId));
  addToItems(document);
  const results = document.getElementById("archive-search-results");
  if (results) {  // the search page: results come and go; a search can be followed
    new MutationObserver(() => {
      addToItems(results);
      if (location.search && !library) load().then(refresh, () => {});  // whether this search is followed
    }).observe(results, { childList: true });
    const searchKey = (lib) => { const q = lib.searchQuery(location.search); return q && lib.followKey("search", q); };
    const follow = button("Follow this search", null, () => !!window.archiveLibrary && has("follows", searchKey(window.archiveLibrary)), async (lib) => {
      const query = lib.searchQuery(location.search);
      if (!query) return status("Choose words or filters first: there is no search to follow.");
      const key = lib.followKey("search", query);
      if (lib.isFollowing(key)) { lib.unfollow(key); status("No longer following this search."); } else await lib.follow("search", query, lib.searchLabel(query));
    });
    follow.label = () => {  // an author's link: "Follow this author"
      const keys = [...new URLSearchParams(location.search).keys()].filter((k) => !["sort", "page"].includes(k));
      follow.textContent = keys.length && keys.every((k) => k === "author") ? "Follow this author" : "Follow this search";
    };
    document.getElementById("archive-search-chips")?.after(follow);
    if (location.search) load().then(refresh, () => {});  // which search is followed is the library's to say
  }
  const topic = location.pathname.slice(root.pathname.length).match(/^topics\/([a-z0-9-]+)\//);
  const papers = document.querySelector(".topic__papers");
  if (topic && papers) {
    const key = `topic:${JSON.stringify({ topic: topic[1] })}`;
    papers.before(button("Follow this topic", null, () => has("follows", key), async (lib) => {
      if (lib.isFollowing(key)) { lib.unfollow(key); status("No longer following this topic."); } else {
        await lib.follow("topic", { topic: topic[1] }, `Topic: ${document.querySelector(".md-content h1")?.textContent.trim() || topic[1]}`);
      }
    }));
  }
  const counts = document.querySelector(".archive-counts");
  const follows = stored().follows;
  if (counts && follows && typeof follows === "object" && Object.keys(follows).length) {  // the home page
    load().then((lib) => lib.news(false)).then(({ count }) => {
      if (!count) return;
      const line = Object.assign(document.createElement("p"), { className: "archive-library__news" });
      line.append(Object.assign(document.createElement("a"), { href: new URL("library/#library-following", root).pathname,
                                                               textContent: `${count} new in what you follow` }));
      counts.after(line);
    }, () => {});
  }
  /* "Library" last in the tabs and the drawer's navigation: added here, not on every page's HTML. */
  const libraryUrl = new URL("library/", root).pathname;
  for (const [list, items] of [[".md-tabs__list", ".md-tabs__item"], [".md-nav--primary > .md-nav__list", ".md-nav__list > .md-nav__item"]]) {
    const last = [...document.querySelector(list)?.querySelectorAll(items) || []].pop();
    if (!last || !last.querySelector(":scope > a")) continue;
    const entry = last.cloneNode(true);
    entry.className = last.className.replace(/\S*--active/g, "");
    const link = entry.querySelector(":scope > a");
    Object.assign(link, { href: libraryUrl, className: link.className.replace(/\S*--active/g, "") });
    (link.querySelector(".md-ellipsis") || link).textContent = "Library";
    if (location.pathname === libraryUrl) link.setAttribute("aria-current", "page");
    last.after(entry);
  }
  window.addEventListener("storage", (event) => { if (event.key === KEY) refresh(); });
  refresh();
})();
