/* The archive in several GitHub Pages sites of one origin (generator/deploy/):
 * GitHub Pages serves a site's 404.html at any address the site lacks, and
 * the split puts in each site's 404.html the map of which site holds which
 * month's paper pages (JSON, #archive-volumes). An address another site
 * holds is sent there (same path, that site's base); one this site holds is
 * a real "Page not found". The holder of an address depends on the address
 * alone, so a redirect lands where the next 404 page stays: one hop at most.
 * Should two sites carry different maps (one deployed, the other not yet),
 * they could send an address back and forth: a redirect to an address
 * already redirected to twice in the last three seconds is not made, and
 * the page stays (a loop's hops take milliseconds; a reader following links,
 * even the same one again, takes longer). */
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
  const target = holder + rest + location.search + location.hash;
  const key = "archive-volume-hops", now = Date.now();
  let hops = [];
  try {
    hops = JSON.parse(sessionStorage.getItem(key) || "[]").filter((hop) => now - hop.at < 3000);
  } catch (error) { /* no storage: no guard beyond the maps' own agreement */ }
  if (hops.filter((hop) => hop.to === target).length >= 2) return;
  try { sessionStorage.setItem(key, JSON.stringify([...hops, { to: target, at: now }])); } catch (error) { /* as above */ }
  location.replace(target);
})();
