import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { CompareSession } from '$lib/compare/CompareSession.svelte';
import { CompareRepository } from '$lib/compare/repository';
import { CompareError } from '$lib/compare/errors';
import { ensureLoaded } from '$lib/compare/runner';
import { SuiteRunner } from '$lib/compare/SuiteRunner.svelte';
import { DEFAULT_COMPARE_SETTINGS, type Suite } from '$lib/compare/types';
import { connect } from '$lib/storage/db';
import { StorageError } from '$lib/storage/errors';
import { FakePageEngine, record } from '../engine/fake-page-engine';

// Estimates (x 1.2): a 600 MB, b 840 MB, c 1200 MB.
const a = record('a', 500);
const b = record('b', 700);
const c = record('c', 1000);
let n = 0;
const repository = () => new CompareRepository(connect(`compare-session-${++n}`));

describe('ensureLoaded', () => {
	it('loads only what is missing, in place of what is there (no unload of its own first)', async () => {
		const engine = new FakePageEngine();
		expect((await ensureLoaded(engine, [a, b], {})).loadMs).not.toBeNull();
		expect((await ensureLoaded(engine, [b], {})).loadMs).toBeNull();
		await ensureLoaded(engine, [c], {});
		expect(engine.log).toEqual(['load a+b', 'load c']);
	});
});

/** A model on one of the user's servers: no GPU memory here. */
const onServer = {
	...record('127.0.0.1:11434/llama3.1:70b'),
	remote: { serverId: 's1', name: 'llama3.1:70b' }
};

describe('CompareSession', () => {
	it('runs a server model with the first in-browser turn, never making in-browser models wait for memory', async () => {
		const engine = new FakePageEngine();
		const session = new CompareSession({ engine, repository: repository() });
		session.begin([a, onServer, b], DEFAULT_COMPARE_SETTINGS, { blind: true, seed: 1 });
		await session.send('Hi', 1000);
		expect(session.plan?.groups).toEqual([['a', onServer.model_id], ['b']]);
		expect(engine.log.slice(0, 3)).toEqual([
			'load a+127.0.0.1:11434/llama3.1:70b',
			'gen a',
			`gen ${onServer.model_id}`
		]);
		expect(engine.log.slice(-3)).toEqual(['load b', 'gen b', 'end b']);
		// The follow-up starts with b, still loaded: the server model joins it without an unload.
		engine.log = [];
		await session.send('More', 1000);
		expect(engine.log[0]).toBe(`load ${onServer.model_id}+b`);
		expect(session.panes.every((p) => p.status === 'idle')).toBe(true);
	});

	it('runs a server model and an in-browser model together when the budget is unknown', async () => {
		const engine = new FakePageEngine();
		const session = new CompareSession({ engine, repository: repository() });
		session.begin([onServer, a], DEFAULT_COMPARE_SETTINGS, { blind: false, seed: 1 });
		await session.send('Hi', undefined);
		expect(session.plan?.together).toBe(true);
		expect(engine.log.filter((l) => l.startsWith('load'))).toEqual([`load ${onServer.model_id}+a`]);
	});

	it('runs what fits together at once and the rest in turns, each pane with its own history', async () => {
		const engine = new FakePageEngine();
		const session = new CompareSession({ engine, repository: repository() });
		session.begin(
			[a, b, c],
			{ ...DEFAULT_COMPARE_SETTINGS, systemPrompt: 'S' },
			{ blind: false, seed: 1 }
		);
		await session.send('Hi', 1500);
		expect(engine.log).toEqual([
			'load a+b',
			'gen a',
			'gen b',
			'end a',
			'end b',
			'load c',
			'gen c',
			'end c'
		]);
		expect(session.panes.map((p) => p.answer?.content)).toEqual(['a-1 a-2', 'b-1 b-2', 'c-1 c-2']);
		expect(session.panes[2]?.answer?.loadMs).toBeGreaterThanOrEqual(0);
		engine.log = [];
		await session.send('More', 1500);
		// c is still loaded: it goes first.
		expect(engine.log[0]).toBe('gen c');
		const last = engine.requests.filter((r) => r.modelId === 'b').at(-1);
		expect(last?.messages).toEqual([
			{ role: 'system', content: 'S' },
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'b-1 b-2' },
			{ role: 'user', content: 'More' }
		]);
		expect(last?.settings).toEqual({ temperature: 0.7, top_p: 0.95, max_tokens: 512, seed: 1 });
	});

	it('stops one pane, and a waiting pane that is stopped never runs', async () => {
		const engine = new FakePageEngine();
		engine.tokens = { a: Array.from({ length: 30 }, () => 'x'), b: ['y'] };
		engine.tokenMs = 3;
		const session = new CompareSession({ engine, repository: repository() });
		session.begin([a, b, c], DEFAULT_COMPARE_SETTINGS, { blind: false, seed: 1 });
		const round = session.send('Hi', 1500);
		// Pane a is writing its answer while c waits for a and b.
		await vi.waitFor(() => expect(session.panes[0]?.answer?.content).toMatch(/x/));
		expect(session.panes[2]?.status).toBe('waiting');
		expect(session.panes[2]?.waitingFor).toEqual([0, 1]);
		session.stopPane(0);
		session.stopPane(2);
		await round;
		expect(session.panes.map((p) => p.status)).toEqual(['stopped', 'idle', 'stopped']);
		expect(session.panes[0]?.answer?.stats?.finishReason).toBe('aborted');
		expect(engine.log).not.toContain('load c');
	});

	it('asks before a load takes a model another tab uses, naming none while blind; Cancel stops the round', async () => {
		const engine = new FakePageEngine();
		engine.usedElsewhere = [{ modelId: 'x', kind: 'idle' }];
		const session = new CompareSession({ engine, repository: repository() });
		session.begin([a, b, c], DEFAULT_COMPARE_SETTINGS, { blind: true, seed: 1 });
		const round = session.send('Hi', 1500);
		await expect
			.poll(() => session.question.pending)
			.toEqual({
				loading: null,
				taken: ['x'],
				answering: false
			});
		session.question.answer(false);
		await round;
		// Nothing was loaded, and the later group (c) never asked again.
		expect(engine.log).toEqual(['refuse a+b']);
		expect(session.panes.map((p) => p.answer?.content ?? '')).toEqual(['', '', '']);

		session.begin([a, b], DEFAULT_COMPARE_SETTINGS, { blind: false, seed: 1 });
		const again = session.send('Hi', 1500);
		await expect.poll(() => session.question.pending?.loading).toEqual(['a', 'b']);
		session.question.answer(true);
		await again;
		expect(engine.log.slice(1, 3)).toEqual(['refuse a+b', 'load a+b']);
		expect(session.panes.map((p) => p.answer?.content)).toEqual(['a-1 a-2', 'b-1 b-2']);
	});

	it('hides names while blind, and a vote records the model behind the letter', async () => {
		const engine = new FakePageEngine();
		const repo = repository();
		const session = new CompareSession({ engine, repository: repo, newId: () => `id-${++n}` });
		session.begin([a, b], DEFAULT_COMPARE_SETTINGS, { blind: true, seed: 7 });
		await session.send('Hi', 5000);
		const shown = session.order.map((i) => session.nameOf(i));
		expect(shown).toEqual(['Model A', 'Model B']);
		expect(session.canVote).toBe(true);
		await session.vote({ kind: 'best', position: 1 }, ['x']);
		const behindB = session.panes[session.order[1] as number]?.modelId;
		const [vote] = await repo.listVotes();
		expect(vote?.outcome).toEqual({ kind: 'winner', modelId: behindB });
		expect(vote?.models).toEqual(session.order.map((i) => session.panes[i]?.modelId));
		expect(session.revealed).toBe(true);
		expect(session.nameOf(0)).toBe('a');
		const [saved] = await repo.listComparisons();
		expect(saved).toMatchObject({ blind: true, revealed: true, voteId: vote?.id, tags: ['x'] });
	});

	it('a comparison that cannot be saved keeps its answers and says why (a typed storage error)', async () => {
		const engine = new FakePageEngine();
		const repo = repository();
		const full = () =>
			Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
		const putComparison = repo.putComparison.bind(repo);
		repo.putComparison = full;
		const session = new CompareSession({ engine, repository: repo });
		session.begin([a, b], DEFAULT_COMPARE_SETTINGS, { blind: false, seed: 1 });
		await session.send('Hi', 5000);
		expect(session.saveError).toBeInstanceOf(StorageError);
		expect(session.saveError?.code).toBe('quota-exceeded');
		expect(session.panes.map((p) => p.answer?.content)).toEqual(['a-1 a-2', 'b-1 b-2']);
		expect(await repo.listComparisons()).toEqual([]);

		// A vote that cannot be stored is not counted, and says so too.
		repo.addVote = full;
		await session.vote({ kind: 'best', position: 0 }, []);
		expect(session.voted).toBe(false);
		expect(session.saveError?.code).toBe('quota-exceeded');

		// Room again: the next round saves the whole comparison, and the error goes.
		repo.putComparison = putComparison;
		await session.send('More', 5000);
		expect(session.saveError).toBeNull();
		expect((await repo.listComparisons())[0]?.panes[0]?.messages).toHaveLength(4);
	});
});

describe('SuiteRunner', () => {
	it('stores each answer, and resuming asks only for the missing ones', async () => {
		const engine = new FakePageEngine();
		engine.tokenMs = 2;
		const repo = repository();
		const find = (id: string) => [a, b].find((r) => r.model_id === id);
		const runner = new SuiteRunner({ engine, repository: repo, find });
		const suite: Suite = {
			id: 's',
			name: 'S',
			prompts: ['p1', 'p2', 'p3'],
			tags: [],
			createdAt: 0,
			updatedAt: 0
		};
		const started = runner.start(suite, ['a', 'b'], DEFAULT_COMPARE_SETTINGS, 1000);
		// Stop once the first answers are in.
		while (runner.progress.done < 2) await new Promise((r) => setTimeout(r, 1));
		runner.stop();
		await started;
		const [stopped] = await repo.listRuns();
		expect(stopped?.status).toBe('stopped');
		const done = stopped?.results.length ?? 0;
		expect(done).toBeGreaterThanOrEqual(2);
		expect(done).toBeLessThan(6);

		// A fresh runner (a reload) resumes from what was stored.
		const asked = engine.requests.length;
		const again = new SuiteRunner({ engine, repository: repo, find });
		if (stopped) await again.resume(stopped);
		const [finished] = await repo.listRuns();
		expect(finished?.status).toBe('done');
		expect(finished?.results).toHaveLength(6);
		expect(engine.requests.length - asked).toBe(6 - done);
	});

	it('a run whose model is gone, or that cannot be stored, stops with a typed error', async () => {
		const engine = new FakePageEngine();
		const repo = repository();
		const suite: Suite = {
			id: 's',
			name: 'S',
			prompts: ['p1'],
			tags: [],
			createdAt: 0,
			updatedAt: 0
		};
		const runner = new SuiteRunner({ engine, repository: repo, find: () => undefined });
		await runner.start(suite, ['gone'], DEFAULT_COMPARE_SETTINGS, 1000);
		expect(runner.error).toBeInstanceOf(CompareError);
		expect(runner.error?.code).toBe('model-missing');
		expect(engine.requests).toEqual([]);

		repo.putRun = () => Promise.reject(new StorageError('quota-exceeded', 'full'));
		const stored = new SuiteRunner({ engine, repository: repo, find: () => a });
		await stored.start(suite, ['a'], DEFAULT_COMPARE_SETTINGS, 1000);
		expect(stored.error).toBeInstanceOf(StorageError);
		expect(stored.error?.code).toBe('quota-exceeded');
		expect(stored.running).toBe(false);
	});
});
