// A top-level return is not allowed in a module.
export const x = 1;
return;
