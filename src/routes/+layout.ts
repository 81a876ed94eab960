// Every page is prerendered with the app's shell (see +layout.svelte): the header, the page frame
// and the chat's message box are in the HTML. Everything else renders in the browser: the app needs
// WebGPU, IndexedDB and workers, none of which exist at build time.
export const prerender = true;
export const ssr = true;
export const trailingSlash = 'always';
