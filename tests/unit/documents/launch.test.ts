import { describe, expect, it, vi } from 'vitest';
import { launchQueueOf, receiveLaunches, type LaunchParams } from '$lib/documents/launch';

/** The platform's launch queue, stood in: `launch` delivers as the browser would. */
function standIn() {
	let consumer: ((params: LaunchParams) => void) | null = null;
	return {
		queue: { setConsumer: (c: (params: LaunchParams) => void) => (consumer = c) },
		launch: (params: LaunchParams) => consumer?.(params)
	};
}

const handle = (file: File) => ({ getFile: async () => file });

describe('files opened with Lantern', () => {
	it('hands the launched files over, leaving out one that cannot be read', async () => {
		const { queue, launch } = standIn();
		const onfiles = vi.fn();
		expect(receiveLaunches(queue, onfiles)).toBe(true);
		const a = new File(['%PDF'], 'a.pdf', { type: 'application/pdf' });
		const b = new File(['# B'], 'b.md');
		launch({
			files: [handle(a), { getFile: () => Promise.reject(new Error('gone')) }, handle(b)]
		});
		await vi.waitFor(() => expect(onfiles).toHaveBeenCalledWith([a, b]));
	});

	it('ignores a launch without files (the app opened by itself)', async () => {
		const { queue, launch } = standIn();
		const onfiles = vi.fn();
		receiveLaunches(queue, onfiles);
		launch({ files: [] });
		await new Promise((r) => setTimeout(r, 10));
		expect(onfiles).not.toHaveBeenCalled();
	});

	it('does nothing where the browser has no launch queue', () => {
		expect(launchQueueOf({})).toBeNull();
		expect(receiveLaunches(launchQueueOf({}), vi.fn())).toBe(false);
		const queue = { setConsumer: () => undefined };
		expect(launchQueueOf({ launchQueue: queue })).toBe(queue);
	});
});
