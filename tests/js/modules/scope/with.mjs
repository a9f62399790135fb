// `with` is a syntax error in module code, which is always strict.
export const x = 1;
with ({}) {
}
