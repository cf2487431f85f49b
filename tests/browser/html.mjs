// html.mjs - opens emheval's HTML pages in Debian's headless Chromium and
// checks them as a reader would meet them:
//   - axe-core finds no violation (WCAG 2.0/2.1 A and AA and best practices),
//     with the filters as shipped and with every result shown;
//   - the page loads nothing from the network and carries no script;
//   - the CSS-only filters hide and show results;
//   - for pages made from hostile input, no element or attribute of the
//     input's exists, no injected script ran, and the payload shows as text;
//   - a screenshot of each page (screen and print) goes to OUT for a person.
//
// usage: node html.mjs OUTDIR [--hostile] [--quick] PAGE.html... (each option applies to the pages after it;
// --quick runs axe once, with every result shown, and keeps one screenshot of the first screen: for the long
// pages of the example portfolio, where each full-page capture takes seconds)
// Prints "html: N passed, N failed" last; exits 1 on any failure.
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let passed = 0, failed = 0;
function ok(cond, what, detail) {
	if (cond) {
		passed++;
	} else {
		failed++;
		console.error(`FAIL: ${what}${detail ? `: ${detail}` : ''}`);
	}
}

const [outDir, ...rest] = process.argv.slice(2);
if (!outDir || rest.length === 0) {
	console.error('usage: node html.mjs OUTDIR [--hostile] PAGE.html...');
	process.exit(2);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'emheval-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--no-first-run'],
	viewport: { width: 1200, height: 900 },
	// axe is injected as a script; the pages' own policy forbids every script.
	bypassCSP: true,
});

async function runAxe(page) {
	await page.addScriptTag({ content: axeSource });
	return page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ` +
			v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
	});
}

let hostile = false, quick = false;
for (const arg of rest) {
	if (arg === '--hostile' || arg === '--quick') {
		if (arg === '--hostile') hostile = true;
		else quick = true;
		continue;
	}
	const file = resolve(arg);
	const started = Date.now();
	const name = basename(file, '.html');
	const page = await context.newPage();
	const requests = [];
	await page.route('**/*', (route) => {
		const url = route.request().url();
		if (url === pathToFileURL(file).href)
			return route.continue();
		requests.push(url);
		return route.abort();
	});
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('dialog', (d) => {
		errors.push(`dialog: ${d.message()}`);
		d.dismiss();
	});
	await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

	const facts = await page.evaluate(() => ({
		scripts: document.scripts.length,
		title: document.title,
		lang: document.documentElement.lang,
		h1: document.querySelectorAll('h1').length,
		pwned: window.pwned,
	}));
	ok(requests.length === 0, `${name}: loads nothing from the network`, requests.join(', '));
	ok(facts.scripts === 0, `${name}: carries no script`, `${facts.scripts} script elements`);
	ok(errors.length === 0, `${name}: no script error or dialog`, errors.join('; '));
	ok(facts.lang === 'en' && facts.h1 === 1 && facts.title.length > 0, `${name}: title, lang and one h1`);

	// --quick pages are checked once, with every result shown (the shipped state only hides some).
	if (!quick) {
		const shipped = await runAxe(page);
		ok(shipped.length === 0, `${name}: axe-core finds no violation (filters as shipped)`, shipped.join('\n  '));
	}
	await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: !quick });

	// The filters: every box unticked hides its results; ticking it again shows them. The first box is
	// clicked as a person would (it must be visible and enabled); the rest are toggled in the page, faster.
	const boxes = await page.$$eval('.filters input[type=checkbox]', (els) => els.map((e) => e.id));
	for (const [i, id] of boxes.entries()) {
		const cls = id.startsWith('fo-') ? `.o-${id.slice(3)}` : `.d${id.slice(2)}`;
		if (i === 0)
			await page.uncheck(`#${id}`);
		const r = await page.evaluate(([id, cls, click]) => {
			const box = document.getElementById(id);
			const shown = () => [...document.querySelectorAll(cls)].filter((e) => e.offsetParent !== null).length;
			if (!click)
				box.checked = false;
			const off = shown();
			box.checked = true;
			return { off, on: shown(), all: document.querySelectorAll(cls).length };
		}, [id, cls, i === 0]);
		ok(r.off === 0, `${name}: unticking ${id} hides ${cls}`, `${r.off} still shown`);
		ok(r.on === r.all, `${name}: ticking ${id} shows ${cls}`, `${r.on} of ${r.all}`);
	}
	if (boxes.length) {
		const hidden = await page.$$eval('.result', (els) => els.filter((e) => e.offsetParent === null).length);
		ok(hidden === 0, `${name}: with every box ticked every result shows`, `${hidden} hidden`);
		const all = await runAxe(page);
		ok(all.length === 0, `${name}: axe-core finds no violation (every result shown)`, all.join('\n  '));
		if (!quick)
			await page.screenshot({ path: join(outDir, `${name}-all.png`), fullPage: true });
	}

	if (!quick) {
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: join(outDir, `${name}-print.png`), fullPage: true });
		await page.pdf({ path: join(outDir, `${name}.pdf`), preferCSSPageSize: true, printBackground: true });
		await page.emulateMedia({ media: 'screen' });
	}

	if (hostile) {
		const inj = await page.evaluate(() => {
			const bad = [];
			for (const el of document.querySelectorAll('*')) {
				if (['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM', 'BASE', 'LINK', 'META', 'INPUT', 'TEXTAREA', 'BUTTON', 'A']
					.includes(el.tagName.toUpperCase()) && !el.closest('head') &&
					!(el.tagName === 'INPUT' && el.closest('.filters')) &&
					!(el.tagName === 'FORM' && el.classList.contains('filters')) &&
					!(el.tagName === 'A' && (el.classList.contains('skip') || el.closest('tbody'))))
					bad.push(el.outerHTML.slice(0, 80));
				for (const a of el.attributes) {
					if (/^on/i.test(a.name) || /^(pwned|x-injected)$/i.test(a.name) || /javascript:/i.test(a.value))
						bad.push(`${el.tagName}[${a.name}]`);
				}
			}
			if (document.getElementById('pwned'))
				bad.push('#pwned');
			return { bad, pwned: window.pwned, text: document.body.innerText };
		});
		ok(inj.bad.length === 0, `${name}: no element or attribute from the input`, inj.bad.join(', '));
		ok(inj.pwned === undefined, `${name}: no injected script ran`);
		ok(inj.text.includes('<script>window.pwned=1</script>'), `${name}: the payload shows as text`);
		ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(inj.text), `${name}: no control characters`);
	}
	await page.close();
	if (process.env.EMH_TIMING) console.error(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await context.close();
rmSync(userDataDir, { recursive: true, force: true });
console.log(`html: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
