// Every page is a prerendered shell that renders in the browser: the app needs WebGPU, IndexedDB and
// workers, none of which exist at build time.
export const prerender = true;
export const ssr = false;
export const trailingSlash = 'always';
