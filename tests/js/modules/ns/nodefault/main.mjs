// Link error: `export *` does not re-export `default`.
(globalThis.noDefaultLog ||= []).push('main');
import def from './star.mjs';
export { def };
