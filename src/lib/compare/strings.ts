// Every sentence the compare pages show, in one place (see src/lib/strings.ts for the rest).
import type { StorageErrorCode } from '$lib/storage/errors';
import type { ErrorText } from '$lib/strings';
import type { CompareErrorCode } from './errors';

export const compareText = {
	title: 'Compare',
	intro:
		'Ask several models the same thing, side by side, on this device. Blind mode hides the names until you vote.',
	tabs: { compare: 'Compare', suites: 'Suites', leaderboard: 'Leaderboard', saved: 'Saved' },
	pickModels: 'Models (2 to 4)',
	modelSlot: (n: number) => `Model ${n}`,
	addModel: 'Add a model',
	removeModel: 'Remove',
	blindMode: 'Blind: hide the names until I vote',
	budget: 'GPU memory available to models (MB)',
	budgetHint: (auto: number | undefined) =>
		auto === undefined
			? 'Unknown on this browser: set it to let models that fit run at the same time. Empty = one at a time.'
			: `This device suggests about ${Math.round(auto)} MB. Empty = use that.`,
	planTogether: (mb: string, budget: string) =>
		`Need about ${mb} together of ${budget}: they load together and answer at the same time.`,
	planTurns: (groups: number) =>
		`Not enough GPU memory for all at once: they take turns in ${groups} groups (unload, load, answer).`,
	planUnknown: 'GPU memory unknown: the models take turns, one at a time.',
	settings: 'Shared settings',
	systemPrompt: 'System prompt',
	promptPlaceholder: 'One prompt for every model. Enter sends, Shift+Enter adds a line.',
	followUpPlaceholder: 'A follow-up: each model continues its own conversation.',
	run: 'Run',
	send: 'Send',
	stopAll: 'Stop all',
	stop: 'Stop',
	newComparison: 'New comparison',
	chooseTwo: 'Pick at least two different models.',
	blindName: (label: string) => `Model ${label}`,
	waitingFor: (names: string[]) =>
		`Waiting for ${names.join(' and ')} to finish: not enough GPU memory to run together.`,
	loading: 'Loading onto the GPU…',
	stopped: 'Stopped.',
	load: (ms: number | null | undefined) =>
		ms === undefined ? '' : ms === null ? 'already loaded' : `load ${(ms / 1000).toFixed(1)} s`,
	settingsLine: (s: {
		temperature: number;
		top_p: number;
		max_tokens: number;
		seed: number | null;
		systemPrompt: string;
	}) =>
		[
			`temp ${s.temperature}`,
			`top_p ${s.top_p}`,
			`max ${s.max_tokens}`,
			`seed ${s.seed ?? 'random'}`,
			s.systemPrompt
				? `system: “${s.systemPrompt.slice(0, 40)}${s.systemPrompt.length > 40 ? '…' : ''}”`
				: 'no system prompt'
		].join(' · '),
	continueAsChat: 'Continue as chat',
	storage: {
		complete: 'Downloaded.',
		partial: 'Partly downloaded: the rest downloads when it loads, or now.',
		absent: 'Not downloaded yet: it downloads when it first loads, or now.',
		download: 'Download now',
		queued: 'Waiting to download…',
		downloading: 'Downloading',
		failed: 'The download failed: try again, or let it download when it loads.'
	},
	vote: {
		question2: 'Which answer is better?',
		questionN: 'Which answer is best?',
		better: (label: string) => `${label} is better`,
		best: (label: string) => `${label} is best`,
		tie: 'Tie',
		bothBad: 'Both bad',
		allBad: 'All bad',
		tags: 'Tags (comma-separated, optional)',
		thanks: 'Vote saved. The names are revealed.',
		voted: 'Vote saved.'
	},
	leaderboard: {
		title: 'Personal leaderboard',
		empty: 'No votes yet. Vote on a comparison to start your leaderboard.',
		filter: 'Tag',
		allTags: 'All votes',
		model: 'Model',
		rating: 'Rating',
		interval: '95% interval',
		votes: 'Votes',
		record: 'Won · lost · tied · both bad',
		elo: 'Elo',
		note: 'Bradley-Terry ratings (Elo scale, mean 1000) from your votes. Few votes: wide intervals.',
		export: 'Export votes',
		import: 'Import votes',
		imported: (n: number) => `Imported ${n} votes.`,
		importFailed: (why: string) => `Nothing imported: ${why}`
	},
	suites: {
		title: 'Prompt suites',
		name: 'Suite name',
		prompts: 'Prompts: one per line (or separate multi-line prompts with a line of ---)',
		tags: 'Tags (optional)',
		save: 'Save suite',
		empty: 'No suites yet.',
		run: 'Run',
		promptCount: (n: number) => `${n} ${n === 1 ? 'prompt' : 'prompts'}`,
		runningNow: 'running now',
		delete: 'Delete',
		edit: 'Edit',
		runs: 'Runs',
		resume: 'Resume',
		stop: 'Stop',
		open: 'Show results',
		progress: (done: number, total: number) => `${done} of ${total} answers`,
		status: { running: 'unfinished', stopped: 'stopped', done: 'done' } as Record<string, string>,
		interrupted: 'This run was interrupted. Resume it to get the missing answers.',
		needModels: 'Pick the models on the Compare tab first.',
		usesModels: (ids: readonly string[]) =>
			`Runs on the models picked on the Compare tab: ${ids.join(', ')}.`,
		exportJson: 'Export JSON',
		exportCsv: 'Export CSV',
		exportCard: 'Benchmark card (Markdown)',
		prompt: 'Prompt',
		activityLoading: (names: string[]) => `Loading ${names.join(', ')}…`,
		activityPrompt: (n: number, total: number, names: string[]) =>
			`Prompt ${n} of ${total}: ${names.join(', ')}`
	},
	saved: {
		title: 'Saved comparisons',
		empty: 'Comparisons are saved here after every round.',
		open: 'Open',
		delete: 'Delete',
		blind: 'blind',
		hidden: (n: number) => `${n} hidden models`
	},
	errors: {
		'model-missing': {
			title: 'A model of this comparison is no longer available.',
			action:
				'It was removed from this device’s models. Add it again on the Models page, or pick other models.'
		},
		/** Saving or reading comparisons, votes, suites and runs failed. */
		storage: {
			'quota-exceeded': {
				title: 'The browser has no room left to save this.',
				action:
					'What is on screen is kept until you leave the page. Delete comparisons, conversations or models you no longer use, then try again.'
			},
			outdated: {
				title: 'Lantern was updated in another tab.',
				action: 'Reload this page to continue; what was saved before is kept.'
			},
			unavailable: {
				title: 'Comparisons cannot be saved in this browser window.',
				action:
					'Private windows in some browsers block storage. Open Lantern in a normal window to keep comparisons, votes and suite runs.'
			},
			'not-found': {
				title: 'That was deleted meanwhile, perhaps in another tab.',
				action: 'Reload the page to see what is saved.'
			}
		} satisfies Record<StorageErrorCode, ErrorText>
	} satisfies { storage: Record<StorageErrorCode, ErrorText> } & Record<
		CompareErrorCode,
		ErrorText
	>,
	titleOf: (prompt: string) => {
		const line = prompt.trim().split('\n')[0] ?? '';
		return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'Comparison';
	}
};
