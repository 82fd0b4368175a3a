/* The library's page, /library/ (generator/templates/library.html), drawn from
 * assets/library.js's store: the saved papers (note, tags, remove), exports
 * (BibTeX, RIS, CSV, JSON) and the JSON import, what is new in each follow,
 * and papers like the library. Every text from the store or the site's data is
 * set as text (textContent), never as markup. */
(() => {
  "use strict";
  const lib = window.archiveLibrary, box = document.getElementById("archive-library");
  if (!lib || !box) return;
  const $ = (id) => document.getElementById(id);
  const list = $("archive-library-papers"), sortSelect = $("archive-library-sort"), tagSelect = $("archive-library-tag");
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };
  const day = (iso) => (iso || "").slice(0, 10);
  let index = null;

  function shown() {
    const papers = Object.values(lib.read().papers), tag = tagSelect.value;
    const key = sortSelect.value === "published" ? (p) => p.record.published : (p) => p.saved;
    return papers.filter((p) => !tag || p.tags.includes(tag)).sort((a, b) => key(b).localeCompare(key(a)) || a.id.localeCompare(b.id));
  }
  function renderTags(papers) {
    const tags = [...new Set(papers.flatMap((p) => p.tags))].sort((a, b) => a.localeCompare(b));
    const chosen = tagSelect.value;
    tagSelect.replaceChildren(el("option", { value: "", textContent: "All papers" }),
      ...tags.map((t) => el("option", { value: t, textContent: t })));
    tagSelect.value = tags.includes(chosen) ? chosen : "";
  }
  function item(p) {
    const r = p.record, row = index && lib.fields(index, p.id);
    const state = !index ? null : !row ? "No longer in this archive (the record you saved is kept)."
      : row.withdrawn ? "Withdrawn by its authors." : null;
    const note = el("textarea", { id: `note-${p.id}`, value: p.note, rows: 2 });
    const tags = el("input", { id: `tags-${p.id}`, value: p.tags.join(", "), type: "text" });
    const keep = () => {
      if (!lib.setNote(p.id, note.value, [...new Set(tags.value.split(",").map((t) => t.trim()).filter(Boolean))])) return;
      renderTags(Object.values(lib.read().papers));
      lib.say("Note and tags kept.");
    };
    note.addEventListener("change", keep);
    tags.addEventListener("change", keep);
    const removeButton = el("button", { type: "button", className: "md-button", textContent: "Remove" });
    removeButton.setAttribute("aria-label", `Remove ${r.title}`);
    removeButton.addEventListener("click", () => {
      lib.remove(p.id);
      lib.say(`Removed “${r.title}”.`);
      $("library-saved").focus();  // its item is gone: focus goes back to the list's heading
    });
    return el("li", { className: "paper-item archive-library__paper" },
      el("a", { className: "paper-item__title", href: row || !index ? lib.paperUrl(p.id) : `https://arxiv.org/abs/${p.id}`, textContent: r.title }),
      state ? el("div", { className: "archive-library__state", textContent: state }) : null,
      el("div", { className: "paper-item__meta" },
        el("span", { className: "paper-item__id", textContent: p.id }),
        el("span", { textContent: `published ${day(r.published)}` }),
        el("span", { className: "archive-library__saved", textContent: `saved ${day(p.saved)}` })),
      el("div", { className: "paper-item__authors", textContent: r.authors.join(", ") + (r.more_authors ? ` and ${r.more_authors} more` : "") }),
      el("div", { className: "archive-library__fields" },
        el("label", { htmlFor: note.id, textContent: "Note" }), note,
        el("label", { htmlFor: tags.id, textContent: "Tags (separated by commas)" }), tags, removeButton));
  }
  function renderPapers() {
    const all = Object.values(lib.read().papers);
    renderTags(all);
    const papers = shown();
    list.replaceChildren(...papers.map(item));
    if (!all.length) list.replaceChildren(el("li", { textContent: "No saved papers yet: use a paper's Save button, on its page, in a listing or in search results." }));
    return all;
  }

  // --- following ------------------------------------------------------------------
  /* A Save toggle for a paper listed here (a suggestion, a new paper in a follow). */
  function saveButton(id, title, focusAfter) {
    const button = el("button", { type: "button", className: "archive-toggle", textContent: "Save" });
    button.setAttribute("aria-label", `Save ${title}`);
    const show = () => button.setAttribute("aria-pressed", String(lib.isSaved(id)));
    show();
    button.addEventListener("click", async () => {
      button.disabled = true;
      await lib.toggle(id);
      button.disabled = false;
      show();
      if (focusAfter && !button.isConnected) $(focusAfter).focus();  // the list was drawn again without it
    });
    return button;
  }
  function paperLink(r) {
    return el("li", {}, el("a", { href: lib.paperUrl(r.id), textContent: r.title }), ` (${r.id})`, saveButton(r.id, r.title));
  }
  function followUrl(f) {
    if (f.kind === "topic") return new URL(`topics/${f.query.topic}/`, lib.root).pathname;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(f.query)) for (const v of [].concat(value)) params.append(key, v);
    return `${new URL("search/", lib.root).pathname}?${params}`;
  }
  async function renderFollowing() {
    const box = $("archive-library-following"), follows = Object.entries(lib.read().follows);
    if (!follows.length) { box.replaceChildren(el("p", { textContent: "You follow nothing yet." })); return; }
    let news;
    try { news = await lib.news(true); } catch (error) {
      box.replaceChildren(el("p", { textContent: `What is new cannot be worked out now (${error.message}); your follows are kept.` }));
      return;
    }
    const parts = news.follows.map((f) => {
      const unfollow = el("button", { type: "button", className: "md-button", textContent: "Unfollow" });
      unfollow.setAttribute("aria-label", `Unfollow ${f.label}`);
      unfollow.addEventListener("click", () => {
        lib.unfollow(f.key);
        lib.say(`No longer following ${f.label}.`);
        part.remove();
      });
      const heading = el("h3", {}, el("a", { href: followUrl(f), textContent: f.label }),
        ` — ${f.fresh.length ? `${f.fresh.length} new` : "nothing new"}`);
      const part = el("div", { className: "archive-library__follow" }, heading,
        f.fresh.length ? el("ul", {}, ...f.fresh.map(paperLink)) : null, unfollow);
      return part;
    });
    if (news.versions.length) {
      parts.push(el("div", { className: "archive-library__follow" }, el("h3", { textContent: "New versions of saved papers" }),
        el("ul", {}, ...news.versions.map(({ paper, version }) => el("li", {},
          el("a", { href: lib.paperUrl(paper.id), textContent: paper.record.title }), ` is now v${version}`)))));
    }
    box.replaceChildren(...parts);
  }

  // --- suggestions -------------------------------------------------------------------
  async function renderSuggestions(saved) {
    const out = $("archive-library-suggested");
    const found = lib.suggest(saved, index);
    const titles = index ? await lib.titlesOf(index, found.map((s) => s.id)).catch(() => new Map()) : new Map();
    out.replaceChildren(...found.map((s) => {
      const title = titles.get(s.id) || s.id;
      const save = saveButton(s.id, title, "library-suggested");
      return el("li", { className: "paper-item" },
        el("a", { className: "paper-item__title", href: lib.paperUrl(s.id), textContent: title }), save,
        el("div", { className: "archive-library__near", textContent: `Close to: ${s.near.map((p) => p.record.title).join("; ")}` }));
    }));
    if (!found.length) out.replaceChildren(el("li", { textContent: saved.length ? "None yet: no paper is close to your saved papers." : "Save papers to see papers like them." }));
  }

  function render() {
    const saved = renderPapers();
    renderSuggestions(saved);
  }
  async function start() {
    lib.say(lib.problem() || "");
    render();
    try {
      index = await lib.loadIndex();
      await lib.refresh(index).catch(() => {});  // offline: the records as they were saved
      render();
    } catch (error) {
      lib.say(`${lib.problem() ? lib.problem() + " " : ""}The archive's index could not be fetched (${error.message}): your library is shown as it was saved.`);
    }
    await renderFollowing();
  }
  sortSelect.addEventListener("change", renderPapers);
  tagSelect.addEventListener("change", renderPapers);
  lib.onChange(render);  // Following is worked out once a visit: what it showed is seen
  window.archiveLibraryExport?.(shown);
  start();
})();
