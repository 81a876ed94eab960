// A pane's conversation in the two shapes it leaves the pane in: the history sent to its model with
// the next question, and the messages of a normal chat (for "Continue as chat").
import type { ChatMessage } from '$lib/engine/types';
import type { NewMessage } from '$lib/storage/conversations';
import type { PaneMessage } from './types';

/** The history a pane sends: failed or empty answers (and their questions) are left out. */
export function paneHistory(systemPrompt: string, messages: readonly PaneMessage[]): ChatMessage[] {
	const out: ChatMessage[] = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];
	for (let i = 0; i < messages.length; i++) {
		const m = messages[i] as PaneMessage;
		const next = messages[i + 1];
		if (m.role !== 'user') continue;
		// The question being asked now has no answer yet; earlier ones keep theirs only if usable.
		if (next === undefined) out.push({ role: 'user', content: m.content });
		else if (next.role === 'assistant' && next.content && next.errorCode === undefined)
			out.push({ role: 'user', content: m.content }, { role: 'assistant', content: next.content });
		i++;
	}
	return out;
}

/** The pane's messages as chat messages: a stopped answer is `interrupted`, a failed one `error`. */
export function toStoredMessages(messages: readonly PaneMessage[], modelId: string): NewMessage[] {
	return messages.map((m): NewMessage => {
		if (m.role === 'user') return { role: 'user', content: m.content };
		return {
			role: 'assistant',
			content: m.content,
			modelId,
			...(m.stats ? { stats: m.stats } : {}),
			...(m.errorCode ? { errorCode: m.errorCode } : {}),
			status: m.errorCode
				? 'error'
				: m.stats?.finishReason === 'aborted'
					? 'interrupted'
					: 'complete'
		};
	});
}
