export const x = "bom in an import";
