// Math for the renderer: KaTeX (typeset.ts, in its own chunk) is loaded the first time an answer
// holds math, so a page without math never fetches it. Rendering stays synchronous, as with
// highlighting: until KaTeX is there, math shows as its source, and `version` changes once it is,
// which tells renderers that cached HTML is stale.

export interface MathRenderer {
	/** MathML for `tex`, or null while KaTeX loads or when the TeX cannot be read: show the source. */
	render(tex: string, display: boolean): string | null;
	/** Changes when KaTeX becomes available. */
	readonly version: number;
}

type Typeset = typeof import('./typeset').typeset;

let typeset: Typeset | null = null;
let version = 0;
let loading: Promise<boolean> | null = null;

/** Renders with KaTeX if it is loaded; `want` is told (once per call) when it is not. */
export function createMathRenderer(want: () => void): MathRenderer {
	return {
		render(tex, display) {
			if (typeset) return typeset(tex, display);
			want();
			return null;
		},
		get version() {
			return version;
		}
	};
}

/** Loads KaTeX; resolves true once it is there. A failed chunk load is tried again next time. */
export function loadMath(): Promise<boolean> {
	if (typeset) return Promise.resolve(true);
	loading ??= import('./typeset')
		.then((module) => {
			typeset = module.typeset;
			version++;
			return true;
		})
		.catch(() => false)
		.finally(() => (loading = null));
	return loading;
}
