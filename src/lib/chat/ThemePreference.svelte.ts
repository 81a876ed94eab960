// The colour theme (System, Light, Dark): stored as a setting, shown through `data-theme` on the
// page's root element, and followed across tabs.
import type { ChangeEvent } from '$lib/storage/broadcast';
import type { SettingsRepository } from '$lib/storage/settings';
import type { Notices } from './Notices.svelte';

export type Theme = 'system' | 'light' | 'dark';
const THEMES: readonly string[] = ['system', 'light', 'dark'];
const KEY = 'theme';

const isTheme = (x: unknown): x is Theme => typeof x === 'string' && THEMES.includes(x);

/** Where the theme shows: the page's root element (its `data-theme`). */
export interface ThemeRoot {
	readonly dataset: DOMStringMap;
}

export class ThemePreference {
	#settings: SettingsRepository;
	#notices: Notices;
	#root: () => ThemeRoot | null;
	#theme = $state<Theme>('system');
	/** Bumped by each choice, so a read that started before it cannot undo it. */
	#choices = 0;

	constructor(
		settings: SettingsRepository,
		notices: Notices,
		root: () => ThemeRoot | null = () =>
			typeof document === 'undefined' ? null : document.documentElement
	) {
		this.#settings = settings;
		this.#notices = notices;
		this.#root = root;
	}

	get current() {
		return this.#theme;
	}

	/** Applies the stored theme. */
	async start() {
		const choices = this.#choices;
		const stored = await this.#settings.get(KEY, isTheme, 'system');
		if (choices === this.#choices) this.#apply(stored);
	}

	async set(theme: Theme) {
		this.#choices++;
		this.#apply(theme);
		await this.#notices.attempt(() => this.#settings.set(KEY, theme));
	}

	/** Another tab chose a theme (or a backup was restored here). */
	async follow(event: ChangeEvent) {
		if ((event.kind === 'setting' && event.id === KEY) || event.kind === 'all') await this.start();
	}

	#apply(theme: Theme) {
		this.#theme = theme;
		const root = this.#root();
		if (!root) return;
		if (theme === 'system') delete root.dataset.theme;
		else root.dataset.theme = theme;
	}
}
