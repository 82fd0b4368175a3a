// Lighthouse's accessibility and best-practices categories for each URL, mobile and desktop, light and dark.
//
//   node benchmarks/lighthouse.mjs URL...        (run by benchmarks/lighthouse.py)
//
// Prints one JSON line per run: {url, form, scheme, score, failing: [{id, title, items}]}.
// Lighthouse has no flag for prefers-color-scheme, so each run drives Chromium
// through Puppeteer (which Lighthouse itself depends on): the page emulates the
// scheme before Lighthouse navigates it, and the run checks afterwards that the
// site really applied that palette (Material's data-md-color-scheme on <body>).
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

// Lighthouse is installed on demand into a cache directory, not the project's node_modules.
const modules = join(process.env.LIGHTHOUSE_DIR, 'node_modules');
const load = async (name) => import(pathToFileURL(createRequire(join(modules, 'x.js')).resolve(name)).href);
const {default: lighthouse, desktopConfig} = await load('lighthouse');
const {default: puppeteer} = await load('puppeteer-core');

const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCHEMES = {light: 'default', dark: 'slate'};  // the media query's value -> Material's scheme

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_FLAGS, headless: true,
});
try {
  for (const url of process.argv.slice(2)) {
    for (const form of ['mobile', 'desktop']) {
      for (const [scheme, material] of Object.entries(SCHEMES)) {
        const page = await browser.newPage();
        await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: scheme}]);
        const config = form === 'desktop' ? desktopConfig : undefined;
        const flags = {onlyCategories: ['accessibility', 'best-practices'], logLevel: 'error'};
        const result = await lighthouse(url, flags, config, page);
        const applied = await page.evaluate(() => document.body.getAttribute('data-md-color-scheme'));
        if (applied !== material) {
          throw new Error(`${url}: asked for ${scheme}, the page shows scheme ${applied}`);
        }
        const {categories, audits} = result.lhr;
        const failing = Object.values(audits)
          .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
          .map((audit) => ({id: audit.id, title: audit.title,
            items: (audit.details?.items || []).map((item) => item.node?.snippet || item.node?.selector || '').slice(0, 5)}));
        console.log(JSON.stringify({url, form, scheme, score: Math.round(categories.accessibility.score * 100),
          practices: Math.round(categories['best-practices'].score * 100), failing}));
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
}
