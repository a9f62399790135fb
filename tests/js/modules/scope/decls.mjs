var moduleScopeVar = 'var';
let moduleScopeLet = 'let';
const moduleScopeConst = 'const';
function moduleScopeFunction() {}
class ModuleScopeClass {}
const setTimeout = 'shadowed locally';
export const locals = [typeof moduleScopeVar, moduleScopeLet, moduleScopeConst,
  typeof moduleScopeFunction, typeof ModuleScopeClass, setTimeout];
export const readGlobal = () => sharedGlobalForScopeTest;
