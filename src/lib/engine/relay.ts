// The leader tab relays each other tab's responses from the engine worker over a BroadcastChannel
// (connect.ts). An answer arrives as one `delta` message per token, and every message that crosses
// a BroadcastChannel costs the receiving tab a task of its own (through the browser process, then
// deserialised): at 1,000 tokens a second that cost per token was most of what a relayed answer
// cost beyond one written in the hosting tab. So the relay merges an answer's deltas: the first
// goes at once (the first token is not held back), those arriving in the next `windowMs` are sent
// as one delta with their text joined. Any other response first sends what is held, so the order
// of everything the tab hears is unchanged, and the text is the same.
import type { Response } from './protocol';

/** How long deltas are gathered: one frame, below what anyone sees in an answer being written. */
export const RELAY_WINDOW_MS = 16;

type Delta = Extract<Response, { kind: 'delta' }>;

/** Wraps `post` so that consecutive deltas of one request are sent merged (see above). */
export function coalesceDeltas(
	post: (response: Response) => void,
	windowMs = RELAY_WINDOW_MS
): (response: Response) => void {
	let held: Delta | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	const flush = () => {
		if (held) post(held);
		held = null;
	};
	const tick = () => {
		timer = null;
		flush();
	};
	return (response) => {
		if (response.kind !== 'delta') {
			flush();
			post(response);
			return;
		}
		if (timer === null) {
			// Nothing sent lately: this one goes now, and the window opens.
			flush();
			post(response);
			timer = setTimeout(tick, windowMs);
		} else if (held && held.id === response.id) {
			held = { ...held, text: held.text + response.text };
		} else {
			flush();
			held = response;
		}
	};
}
