import { describe, expect, it } from 'vitest';
import {
	benchmarkCard,
	CSV_HEADER,
	deviceInfo,
	mdCell,
	RUN_FORMAT,
	parseVotesJson,
	runToCsv,
	runToJson,
	votesToJson
} from '$lib/compare/export';
import type { GpuReport } from '$lib/engine/gpu';
import type { Vote } from '$lib/compare/types';
import { readSuiteRun } from '$lib/compare/validate';
import { parseCsv } from '../../fixtures/csv';
import { run, stats } from './builders';

const report: GpuReport = {
	status: 'ok',
	info: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader' },
	features: ['float32-filterable'],
	limits: {
		maxBufferSize: 1073741824,
		maxStorageBufferBindingSize: 1073741824,
		maxComputeWorkgroupStorageSize: 32768,
		maxComputeInvocationsPerWorkgroup: 256,
		maxComputeWorkgroupSizeX: 256,
		maxStorageBuffersPerShaderStage: 8
	},
	isFallback: true
};
const device = deviceInfo(report, {
	userAgent: 'Mozilla/5.0 Chrome/156',
	webllmVersion: '0.2.86',
	appVersion: '0.1.0',
	memoryBudgetMB: 4000
});
const tricky = 'He said "hi", then\nleft | twice';
const full = run({
	prompts: [tricky, 'plain'],
	results: [
		{ promptIndex: 0, modelId: 'a', content: ' lead, "q"\r\nx ', stats: stats(), loadMs: 812 },
		{
			promptIndex: 0,
			modelId: 'b',
			content: 'ok',
			stats: stats({ decodeTokensPerSec: null }),
			loadMs: null
		},
		{
			promptIndex: 1,
			modelId: 'a',
			content: '',
			stats: null,
			loadMs: null,
			errorCode: 'device-lost'
		}
	]
});

describe('CSV', () => {
	it('writes one row per answer with its stats', () => {
		const rows = parseCsv(runToCsv(full));
		expect(rows[0]).toEqual([...CSV_HEADER]);
		expect(rows).toHaveLength(4);
		expect(rows[1]).toEqual([
			'1',
			tricky,
			'a',
			' lead, "q"\r\nx ',
			'stop',
			'12',
			'40',
			'100',
			'500',
			'40',
			'1100',
			'812',
			''
		]);
		expect(rows[2]?.[9]).toBe('');
		expect(rows[3]?.slice(2, 5)).toEqual(['a', '', '']);
		expect(rows[3]?.[12]).toBe('device-lost');
	});

	it('exports an answer that is a spreadsheet formula as inert text', () => {
		const evil = '=HYPERLINK("http://evil","x")';
		const csv = runToCsv(
			run({
				prompts: ["@SUM(1+1)*cmd|' /C calc'!A0"],
				results: [{ promptIndex: 0, modelId: 'a', content: evil, stats: stats(), loadMs: null }]
			})
		);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
		const [, row] = parseCsv(csv);
		expect(row?.[1]).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
		expect(row?.[3]).toBe(`'${evil}`);
	});
});

describe('JSON', () => {
	/** The run in an exported file, read back through the validator the stored runs go through. */
	function readBack(file: { run?: unknown }) {
		const issues: string[] = [];
		return { run: readSuiteRun(file.run, 'run', issues), issues };
	}

	it('round-trips a run with its device', () => {
		const file = JSON.parse(runToJson(full, device, 0));
		expect(file.format).toBe(RUN_FORMAT);
		expect(readBack(file)).toEqual({ run: full, issues: [] });
		expect(file.device.adapter.architecture).toBe('swiftshader');
	});

	it('writes only what the validator accepts: a damaged run is caught', () => {
		const damaged = JSON.parse(runToJson(full, device, 0));
		damaged.run.settings.temperature = 9;
		expect(readBack(damaged).issues.join(' ')).toMatch(/settings.temperature/);
	});
});

describe('votes files', () => {
	const votes: Vote[] = [
		{
			id: 'v1',
			createdAt: 5,
			models: ['a', 'b'],
			outcome: { kind: 'winner', modelId: 'b' },
			blind: true,
			prompt: 'p',
			tags: ['code']
		},
		{
			id: 'v2',
			createdAt: 6,
			models: ['a', 'b', 'c'],
			outcome: { kind: 'tie' },
			blind: false,
			prompt: '',
			tags: [],
			comparisonId: 'c1'
		}
	];

	it('round-trips', () => {
		expect(parseVotesJson(votesToJson(votes, 0))).toEqual(votes);
	});

	it('refuses the whole file if one vote is wrong, saying where', () => {
		const file = JSON.parse(votesToJson(votes, 0));
		file.votes[1].outcome = { kind: 'winner', modelId: 'not-shown' };
		expect(() => parseVotesJson(JSON.stringify(file))).toThrow(/votes\[1\]\.outcome: invalid/);
		file.votes[1] = { ...votes[0] };
		expect(() => parseVotesJson(JSON.stringify(file))).toThrow(/duplicate v1/);
		file.votes[1] = { ...votes[1], models: ['a', 'a'] };
		expect(() => parseVotesJson(JSON.stringify(file))).toThrow(/distinct/);
		expect(() => parseVotesJson('{"format":"lantern-votes","version":2,"votes":[]}')).toThrow(
			'unsupported version 2'
		);
	});
});

describe('benchmark card', () => {
	it('records the device, browser, WebLLM version, models, settings and results', () => {
		const card = benchmarkCard(
			full,
			device,
			[
				{ modelId: 'a', vramMB: 579.61 },
				{ modelId: 'b', vramMB: null }
			],
			0
		);
		expect(card).toContain('# Benchmark card: Smoke');
		expect(card).toContain('| Adapter architecture | swiftshader |');
		expect(card).toContain('| Limit maxBufferSize | 1073741824 |');
		expect(card).toContain('| Browser | Mozilla/5.0 Chrome/156 |');
		expect(card).toContain('| WebLLM | 0.2.86 |');
		expect(card).toContain('| a | this browser (WebGPU) | 580 |');
		expect(card).toContain('| temperature | 0.7 |');
		expect(card).toContain('| seed | 1 |');
		// a: one answer (40 tok/s), one failure; b: one answer without a decode figure.
		expect(card).toContain('| a | 1 | 1 | 100 | 500.0 | 40.0 | 40 | 812 |');
		expect(card).toContain('| b | 1 | 0 | 100 | 500.0 | – | 40 | – |');
		expect(card).toContain(`1. ${mdCell(tricky)}`);
		expect(mdCell(tricky)).toBe('He said "hi", then left \\| twice');
	});

	it('records that a model ran on the user’s server, by the server’s name for it, and nothing secret', () => {
		const onServer = '127.0.0.1:11434/llama3.1:70b';
		const card = benchmarkCard(
			{ ...full, models: ['a', onServer] },
			device,
			[
				{ modelId: 'a', vramMB: 579.61 },
				{ modelId: onServer, vramMB: null, serverModel: 'llama3.1:70b' }
			],
			0
		);
		expect(card).toContain(`| ${onServer} | the user’s server, as “llama3.1:70b” | none here |`);
		expect(card).not.toMatch(/key|Bearer/i);
	});
});
