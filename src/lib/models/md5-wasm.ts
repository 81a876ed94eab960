// The one import of hash-wasm, on its own so that the bundler splits it into a chunk of its own
// (only MD5: the package has no side effects, so the other hashes are left out). Load it through
// md5.ts.
export { createMD5 } from 'hash-wasm';
