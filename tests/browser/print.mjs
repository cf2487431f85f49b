// print.mjs - prints emheval's HTML pages to PDF in Debian's headless Chromium, as a person printing
// the report would (page.pdf with the page's own @page size), and reads the PDF back with poppler-utils:
//   - pdfinfo: every page is A4;
//   - pdftotext: every page carries "Page i of N" and the running header, read from the dossier
//     itself (the app and version, the criteria revision and commit, the digest), as one run of text;
//   - a register page (after --register) carries "emheval register — TITLE" and whether the ledger verified;
//   - a long report spans at least --min-pages pages, so the header and the numbers repeat;
//   - nothing interactive prints (the skip link, the filters and their hint);
//   - every date is one unbroken line box (.date never wraps);
//   - a hostile app name (quotes, backslashes, "</style>", a line break, a bidi override) prints as
//     inert text in the header, with its controls replaced as docs/security.md says.
//
// usage: node print.mjs OUTDIR [--min-pages N] [--register] PAGE.html[=DOSSIER.json]... (--min-pages and
// --register apply to the pages after them; a page without a dossier is a batch index, whose header names
// the batch, or after --register a page of the public register, whose header names the register and the page)
// Prints "print: N passed, N failed" last; exits 1 on any failure.
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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
	console.error('usage: node print.mjs OUTDIR [--min-pages N] PAGE.html[=DOSSIER.json]...');
	process.exit(2);
}

// What emh_encode_css_string leaves of a string, as it prints: controls and line separators become a
// space; C1, noncharacters and bidi controls U+FFFD.
function printed(s) {
	let out = '';
	for (const ch of s) {
		const cp = ch.codePointAt(0);
		if (cp < 0x20 || cp === 0x7f || cp === 0x2028 || cp === 0x2029)
			out += ' ';
		else if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe ||
			(cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			out += '\ufffd';
		else
			out += ch;
	}
	return out;
}
const squash = (s) => s.replace(/\s+/g, ' ').trim();

// The header the page must repeat, from the dossier of record (reports/html.c, print_header).
function expectedHeader(dossierFile) {
	if (!dossierFile)
		return null;
	const d = JSON.parse(readFileSync(dossierFile, 'utf8'));
	const sub = d.submission || {};
	const app = sub.name || sub.id || '(unnamed submission)';
	const c = d.criteria || {};
	let crit = c.rev || '';
	if (c.commit)
		crit += `${c.rev ? ', ' : ''}commit ${c.commit.slice(0, 12)}`;
	else if (!c.rev)
		crit = 'not recorded';
	return squash(printed(`${app}${sub.version ? ` ${sub.version}` : ''} — emheval dossier Criteria ${crit} ` +
		`Dossier digest ${d.digest || 'not recorded'}`));
}

const userDataDir = mkdtempSync(join(tmpdir(), 'emheval-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--no-first-run'],
});

let minPages = 1, register = false;
for (let i = 0; i < rest.length; i++) {
	if (rest[i] === '--min-pages') {
		minPages = Number(rest[++i]);
		continue;
	}
	if (rest[i] === '--register') {
		register = true;
		continue;
	}
	const [html, json] = rest[i].split('=');
	const file = resolve(html);
	const name = basename(file, '.html');
	const pdf = join(outDir, `${name}.print.pdf`);
	const page = await context.newPage();
	await page.route('**/*', (route) =>
		route.request().url() === pathToFileURL(file).href ? route.continue() : route.abort());
	await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
	await page.emulateMedia({ media: 'print' });
	const dates = await page.$$eval('.date', (els) => els.map((e) => ({
		text: e.textContent, nowrap: getComputedStyle(e).whiteSpace === 'nowrap', boxes: e.getClientRects().length,
	})));
	// The width of A4 less the margins, where the dates must hold whole.
	await page.setViewportSize({ width: 680, height: 900 });
	const narrow = await page.$$eval('.date', (els) => els.filter((e) => e.getClientRects().length !== 1)
		.map((e) => e.textContent));
	await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
	const title = await page.title();
	await page.close();

	if (json || register) {
		ok(dates.length > 0, `${name}: dates are marked`, 'no .date element');
		ok(dates.every((d) => d.nowrap), `${name}: dates do not wrap in print`,
			dates.filter((d) => !d.nowrap).map((d) => d.text).join(', '));
		ok(narrow.length === 0, `${name}: every date is one line box at print width`, narrow.join(', '));
	}

	const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
	const pages = Number((/^Pages:\s+(\d+)/m.exec(info) || [])[1]);
	const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
	ok(size && Math.abs(size[1] - 595.28) < 1 && Math.abs(size[2] - 841.89) < 1, `${name}: A4 paper`,
		size ? size[0] : info);
	ok(pages >= minPages, `${name}: spans at least ${minPages} page(s)`, `${pages} page(s)`);

	const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
	const sheets = text.split('\f').slice(0, pages);
	// A register page's header: its own title (register/site.c, page_open) and the ledger's state when built.
	const header = json ? expectedHeader(json) : register ? squash(printed(`emheval register — ` +
		`${title.replace(/ - emheval register$/, '')} The ledger verified when this register was built`)) : null;
	const batch = /emheval batch — \d+ dossiers?/;
	for (const [k, sheet] of sheets.entries()) {
		const flat = squash(sheet);
		const numbers = flat.match(/Page \d+ of \d+/g) || [];
		ok(numbers.length === 1 && numbers[0] === `Page ${k + 1} of ${pages}`, `${name}: page ${k + 1} says ` +
			`"Page ${k + 1} of ${pages}"`, numbers.join(', ') || 'no page number');
		// pdftotext guesses spaces from glyph positions, and misses some beside punctuation: compare without.
		if (header)
			ok(flat.replace(/ /g, '').includes(header.replace(/ /g, '')), `${name}: page ${k + 1} has the running header`,
				`expected "${header}" in "${flat.slice(0, 300)}"`);
		else
			ok(batch.test(flat), `${name}: page ${k + 1} has the batch header`, flat.slice(0, 200));
	}
	ok(!/Skip to the|Untick a box|Filter the results/.test(text), `${name}: nothing interactive prints`);
	ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text), `${name}: no bidi control in the printed text`);
}

await context.close();
rmSync(userDataDir, { recursive: true, force: true });
console.log(`print: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
