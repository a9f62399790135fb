// Import declarations spread over lines, with comments, and without semicolons.
import {
  a, // first
  /* second */ b as
    bee,
} from
  './lib.mjs'
import def
  from "./lib.mjs"
export const seen = [a, bee, def]
