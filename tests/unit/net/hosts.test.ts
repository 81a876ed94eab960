import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { CATALOG_MODEL_HOSTS, modelHosts } from '../../../scripts/csp.js';
import { allowedBy, MODEL_HOSTS } from '$lib/net/hosts';
import { customRecord, RemoteCheckError } from '$lib/models/remote';

describe('allowedBy (CSP host-source matching)', () => {
	const sources = ['https://huggingface.co', 'https://*.hf.co', 'http://127.0.0.1:*'];

	it('allows exact hosts, any subdomain of a wildcard, and any port where the port is *', () => {
		expect(allowedBy('https://huggingface.co/org/m/resolve/main/x.json', sources)).toBe(true);
		expect(allowedBy('https://cas-bridge.xethub.hf.co/a', sources)).toBe(true);
		expect(allowedBy('https://cdn-lfs-us-1.hf.co/a', sources)).toBe(true);
		expect(allowedBy('http://127.0.0.1:41234/m/', sources)).toBe(true);
	});

	it('refuses other hosts, look-alikes, the bare domain of a wildcard, other ports and schemes', () => {
		expect(allowedBy('https://huggingface.co.evil.example/x', sources)).toBe(false);
		expect(allowedBy('https://evilhuggingface.co/x', sources)).toBe(false);
		expect(allowedBy('https://hf.co/x', sources)).toBe(false);
		expect(allowedBy('https://huggingface.co:8443/x', sources)).toBe(false);
		expect(allowedBy('http://huggingface.co/x', sources)).toBe(false);
		expect(allowedBy('https://models.example.org/x', sources)).toBe(false);
		expect(allowedBy('not a url', sources)).toBe(false);
	});
});

describe('the build’s model hosts', () => {
	it('cover every file of every prebuilt catalog model, so the policy never blocks the catalog', () => {
		expect(prebuiltAppConfig.model_list.length).toBeGreaterThan(0);
		for (const record of prebuiltAppConfig.model_list) {
			expect(allowedBy(record.model, CATALOG_MODEL_HOSTS), record.model).toBe(true);
			expect(allowedBy(record.model_lib, CATALOG_MODEL_HOSTS), record.model_lib).toBe(true);
		}
	});

	it('are what the app checks custom models against', () => {
		expect(MODEL_HOSTS).toEqual(modelHosts());
	});

	it('take extra origins from LANTERN_MODEL_HOSTS, and refuse anything that is not an origin', () => {
		expect(modelHosts('https://models.example.org, https://*.example.net')).toEqual(
			expect.arrayContaining(['https://models.example.org', 'https://*.example.net'])
		);
		expect(() => modelHosts('https://models.example.org/path')).toThrow(/not an origin/);
		expect(() => modelHosts("'unsafe-inline'")).toThrow(/not an origin/);
	});
});

describe('custom models on a host the policy does not allow', () => {
	const input = {
		baseUrl: 'https://models.example.org/org/Tiny-q4f32_1-MLC/resolve/main/',
		libraryUrl: 'https://huggingface.co/lib.wasm'
	};

	it('are refused before any request, naming the host', () => {
		const error = (() => {
			try {
				customRecord(input, CATALOG_MODEL_HOSTS);
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(RemoteCheckError);
		expect(error).toMatchObject({ code: 'host-not-allowed', url: 'https://models.example.org' });
	});

	it('are accepted once the host is added', () => {
		const record = customRecord(input, [...CATALOG_MODEL_HOSTS, 'https://models.example.org']);
		expect(record.model_id).toBe('Tiny-q4f32_1-MLC');
	});
});
