// sarif.mjs - validates SARIF files against the SARIF 2.1.0 JSON schema (the rtm.5 schema that
// @microsoft/jest-sarif ships, which is what schemastore serves as sarif-2.1.0), and checks that every
// result of kind "fail" has a location with a line and a column when its message names one.
// usage: node sarif.mjs FILE.sarif...   Prints "sarif: N passed, N failed" last.
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
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
		}
	}
}
console.log(`sarif: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
