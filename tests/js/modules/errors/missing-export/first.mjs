(globalThis.missingExportLog ||= []).push('first');
