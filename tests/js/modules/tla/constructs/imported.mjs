export const fromImport = 'dynamic import';
