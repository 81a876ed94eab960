// One page's host, as the unit tests drive it: the shared host with a single client and no state
// broadcasts (production code always goes through serve.ts, which connects every tab).
import { createHost, type Post } from '../../../src/lib/engine/host';
import type { MLCEngineLike } from '../../../src/lib/engine/handler';

export function createHandler(createEngine: () => MLCEngineLike, post: Post) {
	const host = createHost(createEngine, {
		host: 'single',
		mode: 'leader',
		hostTab: null,
		lifeline: ''
	});
	// The page of these callers has no use for the state broadcasts.
	return host.connect('page', (response, transfer) => {
		if (response.kind === 'state') return;
		if (response.kind === 'ok') delete response.state;
		post(response, transfer);
	});
}
