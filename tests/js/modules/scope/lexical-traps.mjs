// Module keywords where they are not module syntax: strings, templates, comments, regular
// expressions, property names. None of them may be rewritten.
// import x from './nowhere.mjs';
/* export const commented = 1; import('./nowhere.mjs'); await 1; */
const strings = ["import x from './nowhere.mjs'", 'export default 1', `import('./nowhere.mjs')`,
  'import.meta', 'await 1'];
const regex = /import|export|await/g;
const props = { import: 'import prop', export: 'export prop', await: 'await prop', meta: 'meta' };
props.import += '!';
class Keywords {
  import() {
    return 'import method';
  }
  static export = 'export field';
}
export const results = [strings.length, 'import export await'.match(regex).length, props.import,
  props.export, props.await, new Keywords().import(), Keywords.export];
