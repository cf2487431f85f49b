// sarif.mjs - validates SARIF files against the SARIF 2.1.0 JSON schema (the rtm.5 schema that
// @microsoft/jest-sarif ships, which is what schemastore serves as sarif-2.1.0), checks that every
// result of kind "fail" has a location with a line and a column when its message names one, that no
// contextRegion is the same as its region, and that the tool has an informationUri; then runs
// `sarif-multitool validate` (@microsoft/sarif-multitool, a self-contained .NET binary) on all of them:
// each error or warning it reports fails the file, except those justified in JUSTIFIED below.
// usage: node sarif.mjs FILE.sarif...   Prints "sarif: N passed, N failed" last.
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync, mkdtempSync, rmSync, chmodSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
// unicodeRegExp: false, because one pattern of the schema (language) is not valid with the u flag.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let passed = 0, failed = 0;
function ok(cond, what, detail) {
	if (cond) passed++;
	else {
		failed++;
		console.error(`FAIL: ${what}${detail ? `: ${detail}` : ''}`);
	}
}

const files = process.argv.slice(2);
if (!files.length) {
	console.error('usage: node sarif.mjs FILE.sarif...');
	process.exit(2);
}
for (const file of files) {
	let doc;
	try {
		doc = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		ok(false, `${file}: is JSON`, String(e));
		continue;
	}
	const valid = validate(doc);
	ok(valid, `${file}: valid against the SARIF 2.1.0 schema`,
		valid ? '' : ajv.errorsText(validate.errors, { separator: '\n  ' }));
	ok(doc.version === '2.1.0' && Array.isArray(doc.runs) && doc.runs.length === 1, `${file}: one SARIF 2.1.0 run`);
	const run = doc.runs[0] || {};
	const rules = run.tool?.driver?.rules || [];
	for (const r of run.results || []) {
		ok(rules[r.ruleIndex]?.id === r.ruleId, `${file}: ${r.ruleId} points at its rule`);
		for (const loc of r.locations || []) {
			const p = loc.physicalLocation;
			const idx = p?.artifactLocation?.index;
			ok(idx === undefined || run.artifacts?.[idx]?.location?.uri === p.artifactLocation.uri,
				`${file}: ${r.ruleId} names its artifact by index`);
			if (p?.region)
				ok(p.region.startLine >= 1 && p.region.startColumn >= 1, `${file}: ${r.ruleId} region has line and column`);
			// SARIF1008: a contextRegion must be larger than its region. Ours is a whole line: it is
			// larger only when the region starts after column 1.
			if (p?.contextRegion)
				ok(p.region?.startLine === p.contextRegion.startLine && p.region.startColumn > 1,
					`${file}: ${r.ruleId} contextRegion is a proper superset of its region`);
		}
	}
	ok(/^https:\/\//.test(run.tool?.driver?.informationUri || ''), `${file}: the tool has an informationUri`);
}

// sarif-multitool's own rules (SARIF1xxx errors, SARIF2xxx warnings), at levels error and warning.
// Justified: SARIF2017 ("region is absent") on a location without a line: a finding about a value that
// is absent from submission.json, or about a whole evidence file (a hash), has no region to give.
// And SARIF2005 on tool.driver.version when that is not a version at all: report renders a saved dossier's
// tool version as recorded, and the hostile dossier (hostile.sh) records markup there on purpose.
const JUSTIFIED = {
	SARIF2017: (loc) => loc && !loc.region,
	SARIF2005: (loc, path, doc) => path === 'runs[0].tool.driver.version' &&
		!/^[0-9]+\.[0-9]+/.test(doc.runs[0].tool.driver.version),
};
let multitool;
try {
	multitool = require('@microsoft/sarif-multitool');
} catch (e) {
	ok(false, 'sarif-multitool is installed (npm ci)', String(e));
}
if (multitool) {
	// The package's only install script is `chmod u+x Sarif.Multitool`, which npm ci --ignore-scripts skips.
	chmodSync(multitool, statSync(multitool).mode | 0o100);
	const dir = mkdtempSync(join(tmpdir(), 'emheval-sarif-'));
	const abs = files.map((f) => resolve(f));
	// The files first: --log takes a list and would swallow them.
	const run = spawnSync(multitool, ['validate', ...abs, '--threads', '1', '--level', 'Error;Warning',
		'--output', join(dir, 'validation.sarif'), '--log', 'ForceOverwrite'],
	{ encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300000 });
	rmSync(dir, { recursive: true, force: true });
	const out = `${run.stdout || ''}${run.stderr || ''}`;
	ok(run.status === 0 && /Analysis completed successfully/.test(out), 'sarif-multitool validate ran',
		run.error ? String(run.error) : out.slice(-2000));
	const found = new Map(abs.map((f) => [f, []]));
	for (const line of out.split('\n')) {
		const m = /^(.*)\(\d+,\d+\): (error|warning) (SARIF\d+): ([^:]*)/.exec(line);
		if (!m)
			continue;
		const [, file, , rule, path] = m;
		const doc = JSON.parse(readFileSync(file, 'utf8'));
		const at = /^runs\[0\]\.results\[(\d+)\]\.locations\[(\d+)\]/.exec(path);
		const loc = at ? doc.runs[0].results[+at[1]].locations[+at[2]].physicalLocation : undefined;
		if (JUSTIFIED[rule]?.(loc, path, doc))
			continue;
		(found.get(file) || found.set(file, []).get(file)).push(line.slice(0, 300));
	}
	for (const [file, lines] of found)
		ok(lines.length === 0, `${file}: no error or warning from sarif-multitool validate`, lines.join('\n  '));
}
console.log(`sarif: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
