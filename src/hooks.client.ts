// Runs before the app renders: the page's language must be loaded first (src/lib/i18n/language.ts).
import { startLanguage } from '$lib/i18n/language';

export async function init(): Promise<void> {
	await startLanguage();
}
