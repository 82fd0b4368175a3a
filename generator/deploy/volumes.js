/* The archive in several GitHub Pages sites of one origin (generator/deploy/):
 * GitHub Pages serves a site's 404.html at any address the site lacks, and
 * the split puts in each site's 404.html the map of which site holds which
 * month's paper pages (JSON, #archive-volumes). An address another site
 * holds is sent there (same path, that site's base); one this site holds is
 * a real "Page not found". The holder of an address depends on the address
 * alone, so a redirect lands where the next 404 page stays: one hop at most.
 * Should two sites carry different maps (one deployed, the other not yet),
 * at most three redirects in ten seconds are made, then the page stays. */
(() => {
  const element = document.getElementById("archive-volumes");
  if (!element) return;
  const map = JSON.parse(element.textContent);
  const path = location.pathname;
  if (!path.startsWith(map.self)) return;
  const rest = path.slice(map.self.length);
  const month = /^papers\/(\d{4})(?:\/|$)/.exec(rest);
  const holder = (month && map.months[month[1]]) || map.main;
  if (holder === map.self) return;
  const key = "archive-volume-hops";
  let hops = [];
  try {
    hops = JSON.parse(sessionStorage.getItem(key) || "[]").filter((t) => Date.now() - t < 10000);
  } catch (error) { /* no storage: no guard needed beyond the map's own */ }
  if (hops.length >= 3) return;
  try { sessionStorage.setItem(key, JSON.stringify([...hops, Date.now()])); } catch (error) { /* as above */ }
  location.replace(holder + rest + location.search + location.hash);
})();
