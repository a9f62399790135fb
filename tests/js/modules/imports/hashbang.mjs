#!/usr/bin/env eddy
export const x = "hashbang in an import";
