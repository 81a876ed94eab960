import { describe, expect, it } from 'vitest';
import {
	checkCustomModel,
	customRecord,
	fetchModelFacts,
	idFromBaseUrl,
	RemoteCheckError
} from '$lib/models/remote';
import { FakeServer, serveModel } from './fake-server';

async function problem(work: Promise<unknown>): Promise<RemoteCheckError> {
	const error = await work.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof RemoteCheckError)) throw new Error(`expected a RemoteCheckError`);
	return error;
}

describe('exact size', () => {
	it('adds up every file a download stores, from a few small requests', async () => {
		const server = new FakeServer();
		const model = serveModel(server, 'tiny', { shardSizes: [4000, 4000, 1000] });
		const facts = await fetchModelFacts(server.fetch, model.record);
		expect(facts.bytes).toBe(model.totalBytes);
		expect(facts.weightBytes).toBe(9000);
		expect(model.shardUrls.length).toBeGreaterThan(0);
		for (const shard of model.shardUrls) expect(server.count(shard)).toBe(0);
	});
});

describe('custom models', () => {
	it('takes the model id from the repository name', () => {
		expect(idFromBaseUrl('https://huggingface.co/org/Tiny-q4f32_1-MLC/resolve/main/')).toBe(
			'Tiny-q4f32_1-MLC'
		);
		expect(idFromBaseUrl('http://mirror.intranet/models/Tiny-MLC')).toBe('Tiny-MLC');
		expect(
			customRecord({
				baseUrl: 'https://huggingface.co/a/B',
				libraryUrl: 'https://huggingface.co/b.wasm'
			})
		).toMatchObject({ model_id: 'B', model: 'https://huggingface.co/a/B' });
	});

	it('refuses what is not a web address', async () => {
		const server = new FakeServer();
		const e = await problem(
			checkCustomModel(server.fetch, { baseUrl: 'not a url', libraryUrl: 'https://x/y.wasm' })
		);
		expect(e.code).toBe('bad-url');
	});

	it('names the file and the fault: 404, bad JSON, wrong layout, not wasm', async () => {
		const server = new FakeServer();
		const model = serveModel(server, 'tiny');
		const input = { baseUrl: model.record.model, libraryUrl: model.libraryUrl };

		server.fail(model.configUrl, { kind: 'status', status: 404 });
		let e = await problem(checkCustomModel(server.fetch, input));
		expect([e.code, e.status, e.url]).toEqual(['http-status', 404, model.configUrl]);

		server.set(model.tensorCacheUrl, { body: '{"records": [' });
		e = await problem(checkCustomModel(server.fetch, input));
		expect([e.code, e.url]).toEqual(['bad-json', model.tensorCacheUrl]);

		server.set(model.tensorCacheUrl, { body: '{"shards": []}' });
		e = await problem(checkCustomModel(server.fetch, input));
		expect([e.code, e.url]).toEqual(['wrong-layout', model.tensorCacheUrl]);

		const fresh = new FakeServer();
		const other = serveModel(fresh, 'tiny2');
		fresh.set(other.libraryUrl, { body: 'console.log(1)' });
		e = await problem(
			checkCustomModel(fresh.fetch, { baseUrl: other.record.model, libraryUrl: other.libraryUrl })
		);
		expect([e.code, e.url]).toEqual(['not-wasm', other.libraryUrl]);
	});

	it('completes the record from the config', async () => {
		const server = new FakeServer();
		const model = serveModel(server, 'tiny');
		const { record, facts } = await checkCustomModel(server.fetch, {
			baseUrl: model.record.model,
			libraryUrl: model.libraryUrl,
			modelId: ' my-tiny '
		});
		expect(record).toMatchObject({
			model_id: 'my-tiny',
			model_lib: model.libraryUrl,
			overrides: { context_window_size: 512 }
		});
		expect(record.required_features).toBeUndefined();
		expect(record.model_type).toBeUndefined();
		expect(facts.bytes).toBe(model.totalBytes);
	});

	it('knows an embedding model by its BERT architecture', async () => {
		const server = new FakeServer();
		const model = serveModel(server, 'embedder', { modelType: 'bert' });
		const { record } = await checkCustomModel(server.fetch, {
			baseUrl: model.record.model,
			libraryUrl: model.libraryUrl
		});
		expect(record.model_type).toBe(1);
	});
});
