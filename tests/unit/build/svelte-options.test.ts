// The project's Svelte options: runes mode is forced on its own components, never on a library's.
import { compile } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import config from '../../../svelte.config.js';

// A component written for Svelte 4 (legacy mode), as an older library ships it.
const LEGACY = `<script>
	export let name = 'world';
	let count = 0;
	$: doubled = count * 2;
</script>
<button on:click={() => count++}>{name} {doubled}</button>`;

// Uses no rune at all, so only the option can make it a runes component.
const PLAIN = `<script>let label = 'x';</script><p>{label}</p>`;

const options = (filename: string) => ({ ...config.compilerOptions, filename });

describe('svelte.config.js compilerOptions', () => {
	it('compiles a legacy-mode library component under node_modules', () => {
		const result = compile(
			LEGACY,
			options('/app/node_modules/some-lib/dist/Legacy.svelte')
		);
		expect(result.metadata.runes).toBe(false);
		expect(result.js.code).toContain('name');
	});

	it('forces runes mode on the project’s own components', () => {
		expect(compile(PLAIN, options('/app/src/lib/ui/Plain.svelte')).metadata.runes).toBe(true);
		// The same legacy syntax in the project is refused, as it should be.
		expect(() => compile(LEGACY, options('/app/src/lib/ui/Legacy.svelte'))).toThrow(
			/export let|runes mode/
		);
	});

	it('also recognises Windows paths', () => {
		expect(
			compile(PLAIN, options('C:\\app\\node_modules\\lib\\Plain.svelte')).metadata.runes
		).toBe(false);
	});
});
