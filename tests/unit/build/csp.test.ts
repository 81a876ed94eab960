// The policy, its header form, and the generated robustness table.
import { describe, expect, it } from 'vitest';
import { cspDirectives, serializeCsp } from '../../../scripts/csp.js';
import { mergePolicies } from '../../../scripts/headers-adapter.js';
import { parseHeadersFile } from '../../../scripts/serve.js';
import { renderTable, resultsByTest } from '../../../scripts/robustness.js';

describe('the Content-Security-Policy', () => {
	const policy = serializeCsp(cspDirectives(['https://huggingface.co']));

	it('allows scripts only from the app (plus WebAssembly), and nothing inline or evaluated', () => {
		expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
		expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
		expect(policy).toContain("object-src 'none'");
		expect(policy).toContain("base-uri 'self'");
	});

	it('lets the app connect only to itself and the model hosts', () => {
		expect(policy).toContain("connect-src 'self' https://huggingface.co;");
		expect(policy).toContain("default-src 'self'");
	});

	it('allows no inline style but the hash of SvelteKit’s announcer', () => {
		expect(policy).toMatch(/style-src 'self';/);
		expect(policy).toMatch(/style-src-attr 'unsafe-hashes' 'sha256-[A-Za-z0-9+/]+=*'/);
	});
});

describe('_headers', () => {
	it('merges the pages’ policies into one header with every script hash and frame-ancestors', () => {
		const header = mergePolicies([
			"default-src 'self'; script-src 'self' 'sha256-aaa='",
			"default-src 'self'; script-src 'self' 'sha256-bbb='"
		]);
		expect(header).toBe(
			"default-src 'self'; script-src 'self' 'sha256-aaa=' 'sha256-bbb='; frame-ancestors 'none'"
		);
	});

	it('is read the way static hosts read it: a path pattern, then indented headers', () => {
		expect(
			parseHeadersFile('/*\n  Content-Security-Policy: a; b\n  X-Frame: x\n/x.js\n  A: 1\n')
		).toEqual([
			{ pattern: '/*', headers: { 'content-security-policy': 'a; b', 'x-frame': 'x' } },
			{ pattern: '/x.js', headers: { a: '1' } }
		]);
	});
});

describe('docs/ROBUSTNESS.md', () => {
	const unit = {
		testResults: [
			{
				name: `${process.cwd()}/tests/unit/a.test.ts`,
				assertionResults: [{ ancestorTitles: ['group'], title: 'works', status: 'passed' }]
			}
		]
	};
	const e2e = {
		suites: [
			{
				file: 'b.spec.ts',
				specs: [
					{ title: 'ok', tests: [{ status: 'expected', results: [{ status: 'passed' }] }] },
					{ title: 'broken', tests: [{ status: 'unexpected', results: [{ status: 'failed' }] }] }
				],
				suites: [
					{
						title: 'offline',
						specs: [
							{ title: 'x', tests: [{ status: 'expected', results: [{ status: 'passed' }] }] }
						]
					}
				]
			}
		]
	};

	it('finds each test’s result by file and title, in both runners’ reports', () => {
		const results = resultsByTest(unit, e2e);
		expect(results.get('tests/unit/a.test.ts › group › works')).toBe('passed');
		expect(results.get('tests/e2e/b.spec.ts › ok')).toBe('passed');
		expect(results.get('tests/e2e/b.spec.ts › broken')).toBe('failed');
		expect(results.get('tests/e2e/b.spec.ts › offline › x')).toBe('passed');
	});

	it('counts a case whose test failed or does not exist, so the run fails', () => {
		const results = resultsByTest(unit, e2e);
		const row = (test: string) => ({ area: 'A', situation: 's', outcome: 'o', test });
		const { markdown, bad } = renderTable(
			[row('tests/e2e/b.spec.ts › ok'), row('tests/e2e/b.spec.ts › broken'), row('tests/x › y')],
			results
		);
		expect(bad).toBe(2);
		expect(markdown).toContain('✅ passed');
		expect(markdown).toContain('❌ failed');
		expect(markdown).toContain('no such test');
	});
});
