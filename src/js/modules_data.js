(function (native, internal) {
  'use strict';

  // Modules from data: URLs (docs/modules.md): apart from modules.js, which installs this file
  // (native.installFile) at the first import of one.

  // HTML's fetch of a module script whose URL is a data: URL (Fetch's data: URL processor): the
  // body, UTF-8 decoded, if its MIME type is a JavaScript one (or a JSON one for type "json").
  // The source is the URL itself, so it needs no file system (module_files off too).
  function moduleDataSource(url, kind) {
    const hash = url.indexOf('#');
    const r = internal.processDataURL(hash < 0 ? url : url.slice(0, hash));
    if (r === null) throw new TypeError(`Invalid data: URL module "${url.slice(0, 80)}"`);
    const essence = r.type.split(';')[0];
    const ok = kind === 'json'
      ? essence === 'application/json' || essence === 'text/json' || essence.endsWith('+json')
      : jsMimeTypes.indexOf(essence) >= 0;
    if (!ok) {
      throw new TypeError(`Module "${url.slice(0, 80)}" has MIME type "${essence}", not a ` +
        (kind === 'json' ? 'JSON' : 'JavaScript') + ' MIME type');
    }
    const source = native.utf8Decode(r.body, false);
    return source.charCodeAt(0) === 0xFEFF ? source.slice(1) : source;
  }
  // MIME Sniffing's JavaScript MIME type essences.
  const jsMimeTypes = ['application/ecmascript', 'application/javascript', 'application/x-ecmascript',
    'application/x-javascript', 'text/ecmascript', 'text/javascript', 'text/javascript1.0',
    'text/javascript1.1', 'text/javascript1.2', 'text/javascript1.3', 'text/javascript1.4',
    'text/javascript1.5', 'text/jscript', 'text/livescript', 'text/x-ecmascript',
    'text/x-javascript'];

  internal.moduleDataSource = moduleDataSource;
})
