(async () => { await null; const r = await Promise.all([1, Promise.resolve(2)]); return r; })()
