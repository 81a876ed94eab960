import { describe, expect, it } from 'vitest';
import { BOM, csvField, runsAsFormula, toCsv } from '$lib/csv';
import { originalValue, parseCsv } from '../fixtures/csv';

describe('csvField', () => {
	it('quotes only what needs quoting, doubling quotes', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "x"')).toBe('"say ""x"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField(' edge')).toBe('" edge"');
		// Excel's separator in many locales, and in tab-separated files.
		expect(csvField('a;b')).toBe('"a;b"');
		expect(csvField('a\tb')).toBe('"a\tb"');
	});

	it.each([
		['=HYPERLINK("http://evil","x")', '"\'=HYPERLINK(""http://evil"",""x"")"'],
		['=1+1', '"\'=1+1"'],
		['+1+1', '"\'+1+1"'],
		['-1+1', '"\'-1+1"'],
		['@SUM(A1)', '"\'@SUM(A1)"'],
		["=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\""],
		['\t=1+1', '"\'\t=1+1"'],
		['\r=1+1', '"\'\r=1+1"'],
		['  =1+1', '"\'  =1+1"'],
		["'=1+1", '"\'\'=1+1"'],
		['-', '"\'-"'],
		['-A1', '"\'-A1"'],
		['-1e5', '"\'-1e5"']
	])('neutralises %j as %s', (value, written) => {
		expect(csvField(value)).toBe(written);
	});

	it.each(['-12', '-0.5', '-3.14159', '12', '0', 'a=b', 'x@y.z', "it's"])(
		'keeps %j as it is (a number, or not a formula)',
		(value) => {
			expect(runsAsFormula(value)).toBe(false);
			expect(csvField(value)).toBe(value);
		}
	);
});

describe('toCsv', () => {
	it('starts with the UTF-8 byte order mark and ends rows with CRLF', () => {
		expect(toCsv([['a', 'b,c']])).toBe(`${BOM}a,"b,c"\r\n`);
		const bytes = new TextEncoder().encode(toCsv([['é']]));
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	});

	it('reads back exactly what it wrote, formulas and all, once their quote is taken off', () => {
		const rows = [
			['x', '', 'a "b" c', '-5', "'already quoted"],
			['multi\r\nline', ',', '"', '=HYPERLINK("http://evil","x")', "'=1"],
			['+1', '@me', '\tindent', ' -2', '中文 עברית 🙂']
		];
		const read = parseCsv(toCsv(rows));
		expect(read[1]?.[3]).toBe('\'=HYPERLINK("http://evil","x")');
		expect(read.map((row) => row.map(originalValue))).toEqual(rows);
	});
});
