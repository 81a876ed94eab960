// Up to four answers side by side need more room than the reading width: this page asks the
// layout for the wide frame (see App.PageData.frame).
import type { PageLoad } from './$types';

export const load: PageLoad = () => ({ frame: 'wide' as const });
