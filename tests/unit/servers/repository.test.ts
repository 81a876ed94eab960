import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { connect } from '$lib/storage/db';
import { SettingsRepository } from '$lib/storage/settings';
import { KEYS_KEY, SERVERS_KEY, ServerRepository } from '$lib/servers/repository';

describe('ServerRepository', () => {
	it('reads back only usable servers, each once, oldest first, with its key', async () => {
		const settings = new SettingsRepository(connect('server-repo-1'), () => {});
		await settings.set(SERVERS_KEY, [
			{
				id: 'b',
				baseUrl: 'http://127.0.0.1:8080/v1',
				label: 'llama',
				addedAt: 20,
				models: [{ name: 'q' }, { nope: 1 }],
				checkedAt: 20
			},
			{ id: 'a', baseUrl: 'http://127.0.0.1:11434/v1', label: '', addedAt: 10, models: 'x' },
			{ id: 'b', baseUrl: 'http://127.0.0.1:9/v1', label: 'again', addedAt: 30 },
			{ id: 'c', baseUrl: 'javascript:alert(1)', label: 'evil' },
			{ id: '', baseUrl: 'http://127.0.0.1:1/v1' },
			'garbage'
		]);
		await settings.set(KEYS_KEY, { b: 'sk-b', a: 42 });
		const servers = await new ServerRepository(settings).list();
		expect(servers).toEqual([
			{
				id: 'a',
				baseUrl: 'http://127.0.0.1:11434/v1',
				label: '127.0.0.1:11434',
				addedAt: 10,
				models: [],
				checkedAt: null
			},
			{
				id: 'b',
				baseUrl: 'http://127.0.0.1:8080/v1',
				label: 'llama',
				addedAt: 20,
				models: [{ name: 'q' }],
				checkedAt: 20,
				apiKey: 'sk-b'
			}
		]);
	});

	it('reads nothing from a missing or damaged entry, without failing', async () => {
		const settings = new SettingsRepository(connect('server-repo-2'), () => {});
		expect(await new ServerRepository(settings).list()).toEqual([]);
		await settings.set(SERVERS_KEY, { not: 'a list' });
		expect(await new ServerRepository(settings).list()).toEqual([]);
	});
});
