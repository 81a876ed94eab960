// Lets the page breathe: resolves in a task of its own, so input, rendering and progress run
// between the slices of a long piece of work.

/** Resolves after the current task and whatever the browser queued before it. */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
