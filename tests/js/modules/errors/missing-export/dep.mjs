(globalThis.missingExportLog ||= []).push('dep');
export const present = 'present';
