// `npm test`: every check CI runs, in order, with one closing line `N passed, N failed`.
// Lint, type check and each build count as one check each; unit and e2e tests count one by one.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

/** @type {string[]} */
const results = [];
let passed = 0;
let failed = 0;
let skipped = 0;

/**
 * @param {string} label
 * @param {string} command
 * @param {Record<string, string>} [env]
 */
function run(label, command, env = {}) {
	console.log(`\n▶ ${label}: ${command}`);
	const started = Date.now();
	const { status } = spawnSync(command, {
		shell: true,
		stdio: 'inherit',
		env: { ...process.env, ...env }
	});
	const ok = status === 0;
	console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return ok;
}

/**
 * @param {string} label
 * @param {string} command
 * @param {Record<string, string>} [env]
 */
function check(label, command, env) {
	const ok = run(label, command, env);
	results.push(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
	if (ok) passed++;
	else failed++;
	return ok;
}

/** @param {string} path */
function readJson(path) {
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return null;
	}
}

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */
/**
 * @param {string} label
 * @param {string} command
 * @param {string} reportPath
 * @param {(report: any) => Counts} count
 */
function suite(label, command, reportPath, count) {
	rmSync(reportPath, { force: true });
	const ok = run(label, command);
	const report = existsSync(reportPath) ? readJson(reportPath) : null;
	if (!report) {
		results.push(`FAIL ${label} (no report)`);
		failed++;
		return;
	}
	const c = count(report);
	passed += c.passed;
	failed += c.failed;
	skipped += c.skipped;
	// A runner that fails without failing a test (a crash, a broken config) still fails the run.
	if (!ok && c.failed === 0) failed++;
	results.push(
		`${ok ? 'ok  ' : 'FAIL'} ${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`
	);
}

check('format (prettier)', 'npx prettier --check .');
check('lint (eslint)', 'npx eslint .');
check('types (svelte-check)', 'npx svelte-kit sync && npx svelte-check --fail-on-warnings');
suite(
	'unit tests (vitest)',
	'npx vitest run --reporter=default --reporter=json --outputFile=test-results/unit.json',
	'test-results/unit.json',
	(r) => ({
		passed: r.numPassedTests,
		failed: r.numFailedTests,
		skipped: r.numPendingTests + r.numTodoTests
	})
);
const built =
	check('build', 'npx vite build') &&
	check('build under a sub-path', 'npx vite build', {
		BASE_PATH: '/lantern',
		BUILD_DIR: 'build-subpath'
	});
if (built) {
	suite('e2e tests (playwright)', 'npx playwright test', 'test-results/e2e.json', (r) => ({
		passed: r.stats.expected + r.stats.flaky,
		failed: r.stats.unexpected,
		skipped: r.stats.skipped
	}));
	// Every case in tests/robustness-cases.json must be backed by a test that passed in this run.
	check('robustness table (docs/ROBUSTNESS.md)', 'node scripts/robustness.js');
} else {
	results.push('SKIP e2e tests: the build failed');
}

console.log('\nSummary');
for (const line of results) console.log(`  ${line}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
