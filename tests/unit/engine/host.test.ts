// The host serving several tabs (host.ts): each tab's requests are its own, a load never pulls a
// model out from under another tab's answer, and every change reaches every tab as state.
import { describe, expect, it, vi } from 'vitest';
import { createHost } from '../../../src/lib/engine/host';
import type { Request, RequestBody, Response } from '../../../src/lib/engine/protocol';
import type { EngineSnapshot } from '../../../src/lib/engine/snapshot';
import type { ModelRecord } from '../../../src/lib/engine/types';
import { FakeEngine } from './fake-engine';

const record = (id: string): ModelRecord => ({
	model: `https://x/${id}/`,
	model_id: id,
	model_lib: `https://x/${id}.wasm`
});
const A = record('a');
const B = record('b');

function setup() {
	const engine = new FakeEngine();
	const host = createHost(() => engine, {
		host: 'h',
		mode: 'shared',
		hostTab: null,
		lifeline: 'l'
	});
	const tab = (client: string) => {
		const received: Response[] = [];
		let last: EngineSnapshot | null = null;
		const handle = host.connect(client, (response) => {
			if (response.kind === 'state') last = response.state;
			else received.push(response);
		});
		let id = 1;
		const send = (body: RequestBody) => {
			const request = { ...body, id: id++ } as Request;
			return { id: request.id, done: handle(request) };
		};
		return { received, send, state: () => last };
	};
	return { engine, host, tab };
}

const ask = (modelId: string): RequestBody => ({
	kind: 'chat',
	request: { modelId, messages: [{ role: 'user', content: 'q' }] }
});

describe('createHost: several tabs', () => {
	it('a load of what is on the GPU already is not done again, and every tab hears of it', async () => {
		const { engine, tab } = setup();
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		await two.send({ kind: 'load', models: [A] }).done;
		expect(engine.reloads).toEqual([['a']]);
		expect(two.state()?.models).toEqual([
			{ id: 'a', purpose: 'chat', contextWindowSize: null, users: ['one', 'two'] }
		]);
		expect(two.state()?.clients).toEqual(['one', 'two']);
	});

	it('a Stop stops only its own tab’s answer, and a waiting answer ends at once', async () => {
		const { engine, tab } = setup();
		engine.tokens = Array.from({ length: 30 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 2;
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		const first = one.send(ask('a'));
		const second = two.send(ask('a'));
		await vi.waitFor(() => expect(one.received.some((r) => r.kind === 'delta')).toBe(true));
		expect(two.state()?.work.map((w) => [w.client, w.running])).toEqual([
			['one', true],
			['two', false]
		]);
		// Another tab's cancel of request id 1 names its own request, not tab one's.
		await two.send({ kind: 'cancel', target: second.id }).done;
		await second.done;
		expect(two.received.find((r) => r.kind === 'usage')).toMatchObject({
			stats: { finishReason: 'aborted', completionTokens: 0 }
		});
		await first.done;
		expect(one.received.find((r) => r.kind === 'usage')).toMatchObject({
			stats: { finishReason: 'stop', completionTokens: 30 }
		});
		expect(engine.interrupts).toBe(0);
	});

	it('a load waits for another tab’s answer on the model it replaces, or with ifBusy ask refuses', async () => {
		const { engine, tab } = setup();
		// Long enough (about half a second) that the other tab's load surely arrives mid-answer.
		engine.tokens = Array.from({ length: 100 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 5;
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		const answer = one.send(ask('a'));
		await vi.waitFor(() => expect(one.received.some((r) => r.kind === 'delta')).toBe(true));
		await two.send({ kind: 'load', models: [B], ifBusy: 'ask' }).done;
		expect(two.received.at(-1)).toMatchObject({
			kind: 'error',
			error: { code: 'busy', busy: [{ modelId: 'a', kind: 'chat' }] }
		});
		const load = two.send({ kind: 'load', models: [B] });
		await load.done;
		// The answer was written to its end before the model went.
		await answer.done;
		expect(one.received.find((r) => r.kind === 'usage')).toMatchObject({
			stats: { finishReason: 'stop', completionTokens: 100 }
		});
		expect(two.received.some((r) => r.kind === 'progress' && r.progress.phase === 'waiting')).toBe(
			true
		);
		expect(engine.reloads).toEqual([['a'], ['b']]);
	});

	it('a load asks first when it would unload the model another tab uses, idle; nothing is unloaded', async () => {
		const { engine, tab } = setup();
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		await one.send(ask('a')).done;
		await two.send({ kind: 'load', models: [B], ifBusy: 'ask' }).done;
		expect(two.received.at(-1)).toMatchObject({
			kind: 'error',
			error: { code: 'busy', busy: [{ modelId: 'a', kind: 'idle' }] }
		});
		expect(engine.reloads).toEqual([['a']]);
		expect(two.state()?.models.map((m) => m.id)).toEqual(['a']);
		// Load anyway: the model goes, and nobody uses it any more (were it loaded again later,
		// only its new users would).
		await two.send({ kind: 'load', models: [B] }).done;
		expect(engine.reloads).toEqual([['a'], ['b']]);
		expect(two.state()?.models).toMatchObject([{ id: 'b', users: ['two'] }]);
		await two.send({ kind: 'load', models: [A], ifBusy: 'ask' }).done;
		expect(two.received.at(-1)).toMatchObject({ kind: 'ok' });
	});

	it('a load does not ask when only this tab uses the model, or when the tab that used it is gone', async () => {
		const { host, tab } = setup();
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		await one.send({ kind: 'load', models: [B], ifBusy: 'ask' }).done;
		expect(one.received.at(-1)).toMatchObject({ kind: 'ok' });
		await host.disconnect('one');
		await two.send({ kind: 'load', models: [A], ifBusy: 'ask' }).done;
		expect(two.received.at(-1)).toMatchObject({ kind: 'ok', loaded: ['a'] });
	});

	it('a tab that chats with a model another tab loaded uses it too', async () => {
		const { tab } = setup();
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		await two.send(ask('a')).done;
		await one.send({ kind: 'load', models: [B], ifBusy: 'ask' }).done;
		expect(one.received.at(-1)).toMatchObject({
			kind: 'error',
			error: { code: 'busy', busy: [{ modelId: 'a', kind: 'idle' }] }
		});
	});

	it('a tab that is gone has its answer stopped', async () => {
		const { engine, host, tab } = setup();
		engine.tokens = Array.from({ length: 200 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 2;
		const one = tab('one');
		const two = tab('two');
		await one.send({ kind: 'load', models: [A] }).done;
		const answer = two.send(ask('a'));
		await vi.waitFor(() => expect(two.received.some((r) => r.kind === 'delta')).toBe(true));
		await host.disconnect('two');
		await answer.done;
		expect(one.state()?.clients).toEqual(['one']);
		expect(one.state()?.work).toEqual([]);
		expect(two.received.filter((r) => r.kind === 'delta').length).toBeLessThan(200);
	});
});
