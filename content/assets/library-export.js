/* The library's exports and import (/library/): BibTeX, RIS, CSV and JSON of the
 * papers shown (all, or one tag), made in the browser and downloaded as a file;
 * the JSON export imported on another browser, merged with what is there.
 *
 * BibTeX: each paper's entry exactly as its page shows it (kept with the paper
 * when it was saved: generator/site/library_data.py). RIS and CSV: the same fields,
 * as plain text (RIS is what Zotero, Mendeley and EndNote import). */
(() => {
  "use strict";
  const lib = window.archiveLibrary;
  if (!lib) return;
  const FORMAT = "arxiv-archive-library";
  const one = (text) => String(text ?? "").replace(/\s+/g, " ").trim();
  const keyOf = (p) => (p.record.bibtex.match(/^@\w+\{([^,\s]+),/) || [, p.id])[1];

  const bibtex = (papers) => papers.map((p) => p.record.bibtex.trimEnd() + "\n").join("\n");
  function ris(papers) {
    return papers.map((p) => {
      const r = p.record, lines = [["TY", "UNPB"], ["ID", keyOf(p)], ["TI", r.title]];
      for (const author of r.authors) lines.push(["AU", author]);
      lines.push(["PY", r.published.slice(0, 4)], ["DA", r.published.slice(0, 10).replaceAll("-", "/")],
                 ["AN", `arXiv:${p.id}`], ["UR", `https://arxiv.org/abs/${p.id}`]);
      if (r.doi) lines.push(["DO", r.doi]);
      if (r.journal_ref) lines.push(["N1", `Journal reference: ${r.journal_ref}`]);
      if (r.more_authors) lines.push(["N1", `And ${r.more_authors} more authors (arXiv lists them all).`]);
      for (const tag of p.tags) lines.push(["KW", tag]);
      if (p.note) lines.push(["N1", p.note]);
      lines.push(["ER", ""]);
      return lines.map(([tag, value]) => `${tag}  - ${one(value)}`.trimEnd()).join("\r\n");
    }).join("\r\n") + "\r\n";
  }
  /* RFC 4180; a cell a spreadsheet would run as a formula (=, +, -, @) starts with an apostrophe. */
  const cell = (value) => {
    let text = String(value ?? "");
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replaceAll('"', '""')}"`;
  };
  function csv(papers) {
    const head = ["arxiv_id", "bibtex_key", "title", "authors", "published", "version", "category", "doi", "journal_ref", "url", "saved", "tags", "note"];
    const rows = papers.map((p) => {
      const r = p.record;
      return [p.id, keyOf(p), r.title, r.authors.join("; "), r.published.slice(0, 10), r.version, r.category, r.doi, r.journal_ref,
              `https://arxiv.org/abs/${p.id}`, p.saved, p.tags.join("; "), p.note];
    });
    return [head, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
  }
  function json(papers) {
    const data = lib.read();
    return JSON.stringify({ format: FORMAT, schema: 1, exported: new Date().toISOString(), site: lib.root.href,
                            papers, follows: data.follows }, null, 1);
  }
  const KINDS = {
    bib: [bibtex, "application/x-bibtex", "bib"], ris: [ris, "application/x-research-info-systems", "ris"],
    csv: [csv, "text/csv", "csv"], json: [json, "application/json", "json"],
  };
  function download(kind, papers) {
    const [make, type, ext] = KINDS[kind];
    const url = URL.createObjectURL(new Blob([make(papers)], { type: `${type};charset=utf-8` }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `library.${ext}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    lib.say(`Exported ${papers.length} paper${papers.length === 1 ? "" : "s"} as ${ext.toUpperCase()}.`);
  }

  /* Merge: a paper kept here keeps its note unless it has none; tags are joined; the earlier save date wins. */
  function merge(text) {
    let incoming;
    try { incoming = JSON.parse(text); } catch { throw new Error("the file is not JSON"); }
    if (!incoming || incoming.format !== FORMAT || incoming.schema !== 1 || !Array.isArray(incoming.papers)) {
      throw new Error("the file is not a library exported from this kind of archive");
    }
    const papers = {}, follows = incoming.follows && typeof incoming.follows === "object" ? incoming.follows : {};
    for (const p of incoming.papers) if (p && typeof p.id === "string") papers[p.id] = p;
    const checked = lib.clean({ schema: 1, papers, follows });
    if (!checked) throw new Error("the file's papers are not in the form this page reads");
    let added = 0;
    lib.update((data) => {
      for (const [id, p] of Object.entries(checked.papers)) {
        const here = data.papers[id];
        if (!here) { data.papers[id] = p; added++; continue; }
        here.note ||= p.note;
        here.tags = [...new Set([...here.tags, ...p.tags])];
        if (p.saved < here.saved) here.saved = p.saved;
      }
      for (const [key, f] of Object.entries(checked.follows)) data.follows[key] ??= f;
      delete data.build;  // the imported records may be another build's: refreshed on the next visit
    });
    const skipped = incoming.papers.length - Object.keys(checked.papers).length;
    return `Imported: ${added} new paper${added === 1 ? "" : "s"}, ${Object.keys(checked.papers).length - added} already here${skipped ? `, ${skipped} unreadable left out` : ""}.`;
  }

  window.archiveLibraryExport = (shown) => {
    for (const button of document.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => download(button.dataset.export, shown()));
    }
    const input = document.getElementById("archive-library-import");
    input?.addEventListener("change", async () => {
      const file = input.files[0];
      if (!file) return;
      try { lib.say(merge(await file.text())); } catch (error) { lib.say(`Not imported: ${error.message}.`); }
      input.value = "";
    });
  };
  Object.assign(lib, { bibtex, ris, csv });
})();
