// No import or export: still module code when imported.
globalThis.noSyntaxThis = this;
globalThis.noSyntaxTypeofArguments = typeof arguments;
var notGlobal = 'module scoped';
