let n = 0; const t = setInterval(() => { if (++n > 3) clearInterval(t); }, 0); queueMicrotask(() => n++); setTimeout(() => { throw new Error('x') }, 1); n
