/* The header's search box (overrides/partials/paper-search.html).
 *
 * Pagefind's index is split into chunks fetched per query, so a search costs
 * a few hundred kilobytes whatever the archive's size. Nothing is loaded
 * until the box is first focused. Results use Material's own search-result
 * markup, so they look like Material's. Keyboard: "/", "s" or "f" opens the
 * box, arrows move through results, Enter opens one, Escape closes. */
(() => {
  "use strict";
  const form = document.forms.namedItem("paper-search");
  const toggle = document.getElementById("__search");
  if (!form || !toggle) return;
  const input = form.elements.namedItem("q");
  const bundle = new URL(form.dataset.bundle, location.href);
  const root = new URL(form.dataset.root, location.href);
  const PAGE = 10;  // results rendered at a time
  const HINT = "Type to search titles, authors, abstracts and arXiv ids";
  const { meta, list } = panel(form.parentElement);
  let pagefind = null;  // a promise, once loading has started
  let shown = [];  // results of the current query, and how many are rendered
  let rendered = 0;

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
    pagefind ??= import(new URL("pagefind.js", bundle).href).then(async (module) => {
      await module.options({ basePath: bundle.pathname, baseUrl: root.pathname, excerptLength: 24 });
      await module.init();
      return module;
    });
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

  /* Pagefind's excerpt is HTML with <mark>; keep only its text and marks. */
  function excerpt(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const paragraph = document.createElement("p");
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        paragraph.append(Object.assign(document.createElement("mark"), { textContent: node.textContent }));
      } else {
        paragraph.append(node.textContent);
      }
    }
    return paragraph;
  }

  function item(data) {
    const li = Object.assign(document.createElement("li"), { className: "md-search-result__item" });
    const link = Object.assign(document.createElement("a"), { className: "md-search-result__link", href: data.url });
    const article = Object.assign(document.createElement("article"),
      { className: "md-search-result__article md-search-result__article--document md-typeset" });
    const icon = Object.assign(document.createElement("div"), { className: "md-search-result__icon md-icon" });
    const title = Object.assign(document.createElement("h1"), { textContent: data.meta.title || data.url });
    const line = Object.assign(document.createElement("p"), { className: "paper-search__meta" });
    line.textContent = [data.meta.id, data.meta.date, data.meta.authors].filter(Boolean).join(" · ");
    article.append(icon, title, line, excerpt(data.excerpt || ""));
    link.append(article);
    li.append(link);
    return li;
  }

  async function renderMore() {
    const batch = shown.slice(rendered, rendered + PAGE);
    rendered += batch.length;
    const items = (await Promise.all(batch.map((result) => result.data()))).map(item);
    list.querySelector(".paper-search__more")?.remove();
    list.append(...items);
    if (rendered < shown.length) {
      const li = Object.assign(document.createElement("li"), { className: "md-search-result__item paper-search__more" });
      const button = Object.assign(document.createElement("button"),
        { type: "button", className: "md-search-result__more", textContent: `Show ${Math.min(PAGE, shown.length - rendered)} more` });
      button.addEventListener("click", () => { const first = rendered; renderMore().then(() => links()[first]?.focus()); });
      li.append(button);
      list.append(li);
    }
    input.setAttribute("aria-expanded", String(list.children.length > 0));
  }

  async function run() {
    const query = input.value.trim();
    if (!query) {
      shown = [];
      list.replaceChildren();
      status(HINT);
      return;
    }
    status("Searching…");
    const module = await load();
    const search = await module.debouncedSearch(query, {}, 80);
    if (search === null || input.value.trim() !== query) return;  // a newer query is on its way
    shown = search.results;
    rendered = 0;
    list.replaceChildren();
    const count = shown.length;
    status(count === 0 ? "No matching papers" : count === 1 ? "1 matching paper" : `${count.toLocaleString("en")} matching papers`);
    await renderMore();
  }

  function links() {
    return [...list.querySelectorAll(".md-search-result__link, .md-search-result__more")];
  }

  function move(from, step) {
    const all = links();
    const next = all.indexOf(from) + step;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  }

  input.addEventListener("focus", () => { setOpen(true); load().catch(() => status("Search is not available")); });
  input.addEventListener("input", () => run().catch((error) => status(`Search failed: ${error.message}`)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    links()[0]?.click();
  });
  form.addEventListener("reset", () => setTimeout(() => { run(); input.focus(); }));
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
    if (!toggle.checked) input.blur();
  });

  form.parentElement.addEventListener("keydown", (event) => {
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
