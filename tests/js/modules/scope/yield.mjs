// `yield` is reserved in strict code: not an expression at a module's top level.
export const x = 1;
yield 1;
