// A named function expression keeps its own name.
export default (function own() {});
