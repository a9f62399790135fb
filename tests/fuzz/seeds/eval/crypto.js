crypto.getRandomValues(new Uint8Array(8)); crypto.randomUUID(); crypto.subtle.digest('SHA-256', new Uint8Array([1, 2, 3])).then(d => new Uint8Array(d)[0])
