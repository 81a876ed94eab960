// The open conversation (OpenConversation), through the chat's services over fake-indexeddb and a
// fake engine: what the user does (send, stop, regenerate, edit, delete) and what is stored.
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '$lib/engine/errors';
import { StorageError } from '$lib/storage/errors';
import { record } from '../engine/fake-page-engine';
import { chatHarness, readUntil, until } from './harness';

type Harness = ReturnType<typeof chatHarness>;
let h: Harness;

afterEach(() => h?.stop());

/** The chat, with model `m` loaded and a new conversation open. */
async function ready(model = 'm') {
	h = chatHarness();
	await h.chat.open(null);
	expect(await h.chat.session.load(record(model))).toBe(true);
	return active();
}

function active() {
	const conversation = h.chat.active;
	if (!conversation) throw new Error('no conversation is open');
	return conversation;
}

async function answered() {
	await until(() => !active().generating, 'the answer to end');
}

/** What is stored for the open conversation, as a reload would read it. */
async function stored() {
	const found = await h.other.conversations.get(active().id);
	return found?.messages.map((m) => ({ role: m.role, content: m.content, status: m.status })) ?? [];
}

describe('OpenConversation', () => {
	it('send stores the question, then the answer; the question names the conversation', async () => {
		const conversation = await ready();
		h.engine.tokens.m = ['Hello', ' there', '.'];
		expect(await conversation.send('  Hi, who are you?  ')).toBe(true);
		expect(conversation.messages[0]).toMatchObject({ role: 'user', content: 'Hi, who are you?' });
		await answered();
		expect(conversation.messages.map((m) => [m.role, m.content, m.status])).toEqual([
			['user', 'Hi, who are you?', 'complete'],
			['assistant', 'Hello there.', 'complete']
		]);
		expect(conversation.messages[1]?.stats?.finishReason).toBe('stop');
		expect(conversation.messages[1]?.modelId).toBe('m');
		expect(await stored()).toEqual([
			{ role: 'user', content: 'Hi, who are you?', status: 'complete' },
			{ role: 'assistant', content: 'Hello there.', status: 'complete' }
		]);
		expect(conversation.conversation.title).toBe('Hi, who are you?');
		// The sidebar follows.
		await until(() => h.conversations.conversations.length === 1, 'the list to show it');
		expect(h.conversations.conversations[0]?.title).toBe('Hi, who are you?');
		// The engine read the question.
		expect(h.engine.requests[0]?.messages.at(-1)).toEqual({
			role: 'user',
			content: 'Hi, who are you?'
		});
	});

	it('saves the answer while it is written, so a closed tab keeps it', async () => {
		const conversation = await ready();
		h.engine.tokens.m = Array.from({ length: 30 }, (_, i) => `w${i} `);
		h.engine.tokenMs = 25;
		await conversation.send('Write a lot');
		await until(
			() => conversation.live !== null && conversation.live.answer.length > 0,
			'the answer to show'
		);
		const midway = await readUntil(stored, (m) => !!m[1]?.content, 'a save while it is written');
		expect(midway[1]?.status).toBe('streaming');
		expect(midway[1]?.content).toMatch(/^w0 /);
		conversation.stop();
		await answered();
	});

	it('stop keeps what was written so far, marked as stopped', async () => {
		const conversation = await ready();
		const all = Array.from({ length: 40 }, (_, i) => `t${i} `);
		h.engine.tokens.m = all;
		h.engine.tokenMs = 15;
		await conversation.send('Count');
		await until(() => (conversation.live?.answer.length ?? 0) > 0, 'part of the answer');
		conversation.stop();
		await answered();
		const answer = conversation.messages[1];
		expect(answer?.status).toBe('interrupted');
		expect(answer?.content).toMatch(/^t0 t1/);
		expect(answer?.content.length).toBeLessThan(all.join('').length);
		expect(answer?.stats?.finishReason).toBe('aborted');
		expect((await stored())[1]).toEqual({
			role: 'assistant',
			content: answer?.content,
			status: 'interrupted'
		});
		expect(conversation.error).toBeNull();
	});

	it('regenerate replaces the last answer with a new one', async () => {
		const conversation = await ready();
		h.engine.tokens.m = ['First.'];
		await conversation.send('Tell me a joke');
		await answered();
		const first = conversation.messages[1];
		h.engine.tokens.m = ['Second.'];
		await conversation.regenerate(first?.id ?? '');
		await answered();
		expect(conversation.messages.map((m) => m.content)).toEqual(['Tell me a joke', 'Second.']);
		expect(conversation.messages[1]?.id).not.toBe(first?.id);
		expect((await stored()).map((m) => m.content)).toEqual(['Tell me a joke', 'Second.']);
		// The new answer read the same question.
		expect(h.engine.requests[1]?.messages.at(-1)?.content).toBe('Tell me a joke');
	});

	it('edit replaces the question, drops everything after it, and asks again', async () => {
		const conversation = await ready();
		h.engine.tokens.m = ['A1'];
		await conversation.send('Q1');
		await answered();
		h.engine.tokens.m = ['A2'];
		await conversation.send('Q2');
		await answered();
		const q1 = conversation.messages[0];
		h.engine.tokens.m = ['A1 again'];
		await conversation.edit(q1?.id ?? '', 'Q1, better');
		await answered();
		expect(conversation.messages.map((m) => m.content)).toEqual(['Q1, better', 'A1 again']);
		expect((await stored()).map((m) => m.content)).toEqual(['Q1, better', 'A1 again']);
		expect(h.engine.requests.at(-1)?.messages.map((m) => m.content)).toEqual(['Q1, better']);
	});

	it('an engine error keeps the question and what was written, and shows a typed error', async () => {
		const conversation = await ready();
		h.engine.tokens.m = ['Par', 'tial', ' answer'];
		h.engine.chatError = new EngineError('unknown', 'boom');
		h.engine.failAfter = 2;
		await conversation.send('Question');
		await answered();
		expect(conversation.error).toBeInstanceOf(EngineError);
		expect(conversation.error?.code).toBe('unknown');
		expect(conversation.messages[0]?.content).toBe('Question');
		expect(conversation.messages[1]).toMatchObject({
			content: 'Partial',
			status: 'error',
			errorCode: 'unknown'
		});
		expect(await stored()).toEqual([
			{ role: 'user', content: 'Question', status: 'complete' },
			{ role: 'assistant', content: 'Partial', status: 'error' }
		]);
		// Another kind of failure leaves the model loaded.
		expect(h.chat.session.status).toBe('ready');
		conversation.dismissError();
		expect(conversation.error).toBeNull();
	});

	it('a GPU lost in the middle of an answer marks the session idle: the model must load again', async () => {
		const conversation = await ready();
		h.engine.chatError = new EngineError('device-lost', 'Device is lost');
		await conversation.send('Question');
		await answered();
		expect(conversation.error?.code).toBe('device-lost');
		expect(h.chat.session.status).toBe('idle');
		expect(h.chat.session.loadedModel).toBeNull();
		expect(conversation.messages[0]?.content).toBe('Question');
	});

	it('a full disk refuses the question without losing it: send says so and nothing is asked', async () => {
		const conversation = await ready();
		h.storage.conversations.appendMessage = () =>
			Promise.reject(new StorageError('quota-exceeded', 'full'));
		expect(await conversation.send('Keep me')).toBe(false);
		expect(conversation.error).toBeInstanceOf(StorageError);
		expect(conversation.error?.code).toBe('quota-exceeded');
		expect(conversation.messages).toEqual([]);
		expect(h.engine.requests).toEqual([]);
	});

	it('a message longer than the model can read is refused before it is stored', async () => {
		const conversation = await ready('Tiny-1k');
		expect(await conversation.send('word '.repeat(2000))).toBe(false);
		expect(conversation.tooLong).toMatchObject({ contextWindow: 1024 });
		expect(conversation.saved).toBe(false);
		expect(h.engine.requests).toEqual([]);
		expect(await h.other.conversations.list()).toEqual([]);
	});

	it('deletes one message', async () => {
		const conversation = await ready();
		await conversation.send('Q');
		await answered();
		await conversation.deleteMessage(conversation.messages[1]?.id ?? '');
		expect(conversation.messages.map((m) => m.content)).toEqual(['Q']);
		expect((await stored()).map((m) => m.content)).toEqual(['Q']);
	});

	it('an answer left being written by a closed tab opens as stopped', async () => {
		h = chatHarness();
		const c = await h.other.conversations.create({ title: 'Left open' });
		await h.other.conversations.appendMessage(c.id, { role: 'user', content: 'Q' });
		await h.other.conversations.appendMessage(c.id, {
			role: 'assistant',
			content: 'Half an ans',
			status: 'streaming'
		});
		await h.chat.open(c.id);
		expect(active().messages[1]).toMatchObject({ content: 'Half an ans', status: 'interrupted' });
		expect((await stored())[1]?.status).toBe('interrupted');
	});
});
