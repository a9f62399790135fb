(globalThis.missingPackageLog ||= []).push('missing.mjs');
import 'no-such-package-for-eddy-tests';
