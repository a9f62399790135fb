// new.target is only allowed in functions.
export const x = new.target;
