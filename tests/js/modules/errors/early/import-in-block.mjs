(globalThis.earlyLog ||= []).push('import-in-block');
{
  import { a } from '../../imports/lib.mjs';
}
