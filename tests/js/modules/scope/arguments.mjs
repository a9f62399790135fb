// A module's top level is not a function: `arguments` is an unresolvable reference there.
export const typeofArguments = typeof arguments;
export const readArguments = () => arguments;
