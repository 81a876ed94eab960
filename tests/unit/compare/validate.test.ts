import { describe, expect, it } from 'vitest';
import {
	readCompareSettings,
	readSavedComparison,
	readSuite,
	readSuiteRun,
	readVote
} from '$lib/compare/validate';
import { DEFAULT_COMPARE_SETTINGS } from '$lib/compare/types';
import { run } from './builders';

describe('reading compare records back', () => {
	it('repairs bad settings field by field', () => {
		const issues: string[] = [];
		expect(
			readCompareSettings(
				{ systemPrompt: 'x', temperature: 3, top_p: 0.5, max_tokens: 0, seed: null },
				's',
				issues
			)
		).toEqual({ ...DEFAULT_COMPARE_SETTINGS, systemPrompt: 'x', top_p: 0.5, seed: null });
		expect(issues).toEqual(['s.temperature: invalid', 's.max_tokens: invalid']);
		expect(readCompareSettings('junk')).toEqual(DEFAULT_COMPARE_SETTINGS);
	});

	it('skips votes that cannot count', () => {
		const base = { id: 'v', models: ['a', 'b'], outcome: { kind: 'tie' } };
		expect(readVote(base)).toMatchObject({ id: 'v', blind: false, tags: [], prompt: '' });
		expect(readVote({ ...base, id: '' })).toBeNull();
		expect(readVote({ ...base, models: ['a'] })).toBeNull();
		expect(readVote({ ...base, outcome: { kind: 'winner', modelId: 'c' } })).toBeNull();
		expect(readVote({ ...base, tags: [' Code ', 'code'] })?.tags).toEqual(['code']);
	});

	it('reads suites only with prompts', () => {
		expect(readSuite({ id: 's', name: ' ', prompts: ['a', ' '] })).toMatchObject({
			name: 'Suite',
			prompts: ['a']
		});
		expect(readSuite({ id: 's', prompts: [] })).toBeNull();
	});

	it('keeps a run, dropping results outside its grid', () => {
		const raw = {
			...run(),
			status: 'weird',
			results: [
				{ promptIndex: 0, modelId: 'a', content: 'x', stats: null, loadMs: null },
				{ promptIndex: 7, modelId: 'a', content: 'x', stats: null, loadMs: null },
				{ promptIndex: 0, modelId: 'zz', content: 'x', stats: null, loadMs: null },
				'junk'
			]
		};
		const read = readSuiteRun(raw);
		expect(read?.status).toBe('stopped');
		expect(read?.results).toHaveLength(1);
		expect(readSuiteRun({ id: 'r', prompts: [], models: [] })).toBeNull();
	});

	it('keeps a saved blind comparison hidden unless it was revealed', () => {
		const raw = {
			id: 'c',
			panes: [
				{ modelId: 'a', messages: [{ role: 'user', content: 'hi' }, { role: 'bogus' }] },
				{ modelId: 'b', messages: [] }
			],
			order: [1, 1],
			blind: true,
			revealed: 'yes'
		};
		const read = readSavedComparison(raw);
		expect(read).toMatchObject({
			blind: true,
			revealed: false,
			order: [0, 1],
			title: 'Comparison'
		});
		expect(read?.panes[0]?.messages).toEqual([{ role: 'user', content: 'hi' }]);
		expect(readSavedComparison({ id: 'c', panes: [{ modelId: 'a', messages: [] }] })).toBeNull();
	});
});
