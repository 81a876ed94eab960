// The model on the GPU, as the chat sees it: load with progress, a failure kept as a typed error,
// cancel, and an engine that ends by itself.
import { describe, expect, it } from 'vitest';
import { ChatSession } from '$lib/chat/ChatSession.svelte';
import { EngineError } from '$lib/engine/errors';
import { FakePageEngine, record } from '../engine/fake-page-engine';

describe('ChatSession', () => {
	it('loads a model: loading with progress, then ready with the model named', async () => {
		const engine = new FakePageEngine();
		engine.loadMs = 20;
		const session = new ChatSession(engine);
		const loading = session.load(record('m'));
		expect(session.status).toBe('loading');
		expect(session.progress).not.toBeNull();
		expect(await loading).toBe(true);
		expect(session.status).toBe('ready');
		expect(session.loadedModel).toBe('m');
		expect(session.progress).toBeNull();
		expect(session.error).toBeNull();
	});

	it('keeps a failed load’s typed error and what was tried, and is idle', async () => {
		const engine = new FakePageEngine();
		engine.loadError = new EngineError('device-lost', 'out of memory');
		const session = new ChatSession(engine);
		expect(await session.load(record('big'), 2048)).toBe(false);
		expect(session.status).toBe('idle');
		expect(session.loadedModel).toBeNull();
		expect(session.error).toBeInstanceOf(EngineError);
		expect(session.error?.code).toBe('device-lost');
		expect(session.lastLoad).toEqual({ model: record('big'), contextWindowSize: 2048 });
		// The next load starts clean.
		expect(await session.load(record('small'))).toBe(true);
		expect(session.error).toBeNull();
	});

	it('asks before a load takes a model another tab uses: Cancel loads nothing, Load anyway loads', async () => {
		const engine = new FakePageEngine();
		engine.usedElsewhere = [{ modelId: 'x', kind: 'idle' }];
		const session = new ChatSession(engine);
		const kept = session.load(record('m'));
		await expect
			.poll(() => session.question.pending)
			.toEqual({
				loading: ['m'],
				taken: ['x'],
				answering: false
			});
		session.question.answer(false);
		expect(await kept).toBe(false);
		expect(session.error).toBeNull();
		expect(engine.log).toEqual(['refuse m']);
		engine.usedElsewhere = [{ modelId: 'x', kind: 'chat' }];
		const replaced = session.load(record('m'));
		await expect.poll(() => session.question.pending?.answering).toBe(true);
		session.question.answer(true);
		expect(await replaced).toBe(true);
		expect(session.loadedModel).toBe('m');
		expect(engine.log).toEqual(['refuse m', 'refuse m', 'load m']);
	});

	it('a load that asks nobody does not ask', async () => {
		const engine = new FakePageEngine();
		const session = new ChatSession(engine);
		expect(await session.load(record('m'))).toBe(true);
		expect(session.question.pending).toBeNull();
	});

	it('cancels a load: idle, nothing loaded, and no error to show', async () => {
		const engine = new FakePageEngine();
		engine.loadMs = 50;
		const session = new ChatSession(engine);
		const loading = session.load(record('m'));
		session.cancelLoad();
		expect(await loading).toBe(false);
		expect(session.status).toBe('idle');
		expect(session.loadedModel).toBeNull();
		expect(session.error).toBeNull();
		expect(session.progress).toBeNull();
	});

	it('a second load replaces the first one still in progress', async () => {
		const engine = new FakePageEngine();
		engine.loadMs = 30;
		const session = new ChatSession(engine);
		const first = session.load(record('a'));
		const second = session.load(record('b'));
		expect(await first).toBe(false);
		expect(await second).toBe(true);
		expect(session.loadedModel).toBe('b');
		expect(session.status).toBe('ready');
	});

	it('an engine that ends by itself makes the session idle and says why', async () => {
		const engine = new FakePageEngine();
		const session = new ChatSession(engine);
		engine.lose();
		// Nothing was loaded: nothing to report.
		expect(session.error).toBeNull();
		await session.load(record('m'));
		engine.lose(new EngineError('worker-crashed', 'gone'));
		expect(session.status).toBe('idle');
		expect(session.loadedModel).toBeNull();
		expect(session.error?.code).toBe('worker-crashed');
		// Kept to offer it again.
		expect(session.lastLoad?.model.model_id).toBe('m');
	});
});
