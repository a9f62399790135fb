// No import or export: still module code when imported.
globalThis.noSyntaxThis = this;
var notGlobal = 'module scoped';
