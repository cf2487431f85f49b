// record_har.mjs - records a network capture (HAR 1.2) the way an assessor would: real headless Chromium
// (Debian's, through playwright-core's recordHar) fills a test sign-up page as a test persona and submits it.
// Everything is served locally over HTTPS by this script (a throw-away self-signed certificate made with
// openssl); Chromium's --host-resolver-rules map the page's host name and the "pixel" host names to
// 127.0.0.1, so the capture shows the host names a real session would, and nothing leaves the machine.
//
// usage: node record_har.mjs OUT.har --page HOST [--pixel SCRIPT_HOST,BEACON_HOST] [--persona persona.json]
//   --page HOST       the sign-up page's host (first party); the form posts to https://HOST/api/signup
//   --pixel A,B       the page loads https://A/en_US/fbevents.js, which sends the SHA-256 of the trimmed,
//                     lower-cased e-mail to https://B/tr?...&ud[em]=HASH and posts the questionnaire answers
//                     and mood score form-encoded to https://B/tr (a stand-in for an advertising pixel);
//                     without --pixel the page has no third-party code (a clean app)
//   --persona FILE    {"email", "mood_score", "answers": [a, b]}; default: the persona of submissions 18 and 19
// Prints the number of entries recorded; exits 1 on failure.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const out = args[0];
const opt = (name) => { const i = args.indexOf(name); return i > 0 ? args[i + 1] : undefined; };
const pageHost = opt('--page');
const pixel = opt('--pixel') ? opt('--pixel').split(',') : null;
const persona = opt('--persona') ? JSON.parse(readFileSync(opt('--persona'), 'utf8')) : {
	email: 'robin.canary@example.org',
	mood_score: 'mood-3-of-10',
	answers: ['I have felt hopeless nearly every day', 'Trouble sleeping most nights'],
};
if (!out || !pageHost) {
	console.error('usage: node record_har.mjs OUT.har --page HOST [--pixel A,B] [--persona FILE]');
	process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'emheval-har-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
	'-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem')], { stdio: 'ignore' });

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
function signupPage() {
	const script = pixel ? `<script src="https://${pixel[0]}/en_US/fbevents.js"></script>` : '';
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign up</title>${script}</head>
<body><h1>Create your account</h1>
<form id="f"><label>E-mail <input id="email" type="email"></label>
<label>How is your mood today (0 to 10)? <input id="mood"></label>
<label>Over the last two weeks, how often have you felt down or hopeless? <input id="q1"></label>
<label>How have you been sleeping? <input id="q2"></label>
<button id="go" type="submit">Sign up</button></form><p id="done" hidden>Welcome</p>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
	e.preventDefault();
	const v = (id) => document.getElementById(id).value;
	const body = { email: v('email'), mood: v('mood'), answers: [v('q1'), v('q2')] };
	await fetch('/api/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	if (window.fbq) await window.fbq('CompleteRegistration', body);
	document.getElementById('done').hidden = false;
});
</script></body></html>`;
}
// The stand-in pixel: what advertising pixels are documented to send (hashed e-mail, custom data).
function pixelScript() {
	return `window.fbq = async function (ev, d) {
	const norm = d.email.trim().toLowerCase();
	const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(norm));
	const hash = Array.from(new Uint8Array(buf)).map((b) => b.toString(16).padStart(2, '0')).join('');
	await fetch('https://${pixel ? pixel[1] : ''}/tr?id=1234567890&ev=' + ev + '&ud[em]=' + hash, { mode: 'no-cors' });
	const form = new URLSearchParams({ id: '1234567890', ev: ev, 'cd[mood]': d.mood, 'cd[q1]': d.answers[0], 'cd[q2]': d.answers[1] });
	await fetch('https://${pixel ? pixel[1] : ''}/tr', { method: 'POST', mode: 'no-cors', body: form });
};`;
}

const server = createServer({ key: readFileSync(join(tmp, 'key.pem')), cert: readFileSync(join(tmp, 'cert.pem')) },
	(req, res) => {
		const host = (req.headers.host || '').replace(/:\d+$/, '');
		let chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			if (host === pageHost && req.url === '/signup') {
				res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
				res.end(signupPage());
			} else if (host === pageHost && req.url === '/api/signup') {
				res.writeHead(201, { 'Content-Type': 'application/json' });
				res.end('{"ok":true}');
			} else if (pixel && host === pixel[0] && req.url === '/en_US/fbevents.js') {
				res.writeHead(200, { 'Content-Type': 'application/javascript' });
				res.end(pixelScript());
			} else if (pixel && host === pixel[1]) {
				res.writeHead(200, { 'Content-Type': 'image/gif', 'Access-Control-Allow-Origin': '*' });
				res.end();
			} else {
				res.writeHead(404);
				res.end();
			}
		});
	});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const hosts = [pageHost, ...(pixel || [])];
const rules = hosts.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ');

let code = 0;
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: [`--host-resolver-rules=${rules}`, '--no-sandbox'],
});
try {
	const context = await browser.newContext({ ignoreHTTPSErrors: true, recordHar: { path: out, content: 'embed' } });
	const page = await context.newPage();
	await page.goto(`https://${pageHost}/signup`);
	await page.fill('#email', persona.email);
	await page.fill('#mood', String(persona.mood_score));
	await page.fill('#q1', persona.answers[0]);
	await page.fill('#q2', persona.answers[1]);
	await page.click('#go');
	await page.waitForSelector('#done', { state: 'visible' });
	await page.waitForLoadState('networkidle');
	await context.close();
	const har = JSON.parse(readFileSync(out, 'utf8'));
	console.log(`record_har: ${har.log.entries.length} entries in ${out}`);
} catch (e) {
	console.error(`record_har: ${e.message}`);
	code = 1;
} finally {
	await browser.close();
	server.close();
	rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
