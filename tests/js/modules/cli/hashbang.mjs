#!/usr/bin/env eddy
import { x } from "./detect/dep.mjs";
console.log(`hashbang ${x}`);
