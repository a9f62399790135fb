let o = {a: [1, 2, {b: 'c'}]}; JSON.stringify(o) + String(1n << 70n)
