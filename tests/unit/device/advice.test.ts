// The advice shown when WebGPU is unavailable: specific to the browser, in the reader's language.
import { afterEach, describe, expect, it } from 'vitest';
import { webgpuAdvice } from '$lib/device/advice';
import { browserFamily } from '$lib/engine/gpu';
import { state, type Messages } from '$lib/i18n/state';

const LINUX_CHROME =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const WIN_EDGE =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0';
const MAC_FIREFOX =
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:135.0) Gecko/20100101 Firefox/135.0';
const MAC_SAFARI =
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';

describe('webgpuAdvice', () => {
	it('says nothing when WebGPU works', () => {
		const ok = {
			status: 'ok',
			info: { vendor: '', architecture: '', device: '', description: '' },
			features: [],
			limits: {},
			isFallback: false
		} as const;
		expect(webgpuAdvice(ok as never, LINUX_CHROME)).toEqual([]);
	});

	it('asks for a secure page first', () => {
		expect(webgpuAdvice({ status: 'no-webgpu', secureContext: false }, LINUX_CHROME)[0]).toMatch(
			/https/
		);
	});

	it('names the Linux flag for Chrome on Linux', () => {
		const steps = webgpuAdvice({ status: 'no-adapter', reason: 'null' }, LINUX_CHROME).join(' ');
		expect(steps).toContain('chrome://flags/#enable-unsafe-webgpu');
		expect(steps).toContain('no usable GPU adapter');
	});

	it('is specific to each browser', () => {
		const missing = { status: 'no-webgpu', secureContext: true } as const;
		expect(webgpuAdvice(missing, WIN_EDGE).join(' ')).toContain('edge://gpu');
		expect(webgpuAdvice(missing, MAC_FIREFOX).join(' ')).toContain('dom.webgpu.enabled');
		expect(webgpuAdvice(missing, MAC_SAFARI).join(' ')).toContain('Feature Flags');
	});

	it('is worded in the reader’s language', async () => {
		state.locale = 'de';
		state.messages = (await import('$lib/i18n/paraglide/messages/de.js')) as unknown as Messages;
		const steps = webgpuAdvice({ status: 'no-adapter', reason: 'null' }, LINUX_CHROME);
		expect(steps.join(' ')).toContain('chrome://flags/#enable-unsafe-webgpu');
		expect(steps.join(' ')).not.toContain('no usable GPU adapter');
	});
});

describe('browserFamily', () => {
	it('recognises browsers from their user agents', () => {
		expect([LINUX_CHROME, WIN_EDGE, MAC_FIREFOX, MAC_SAFARI, 'curl/8'].map(browserFamily)).toEqual([
			'chrome',
			'edge',
			'firefox',
			'safari',
			'other'
		]);
	});
});

afterEach(() => {
	state.messages = null;
	state.locale = 'en';
});
