const rs = new ReadableStream({start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); }}); new Response(rs.pipeThrough(new TransformStream({transform(ch, c) { c.enqueue(ch.toUpperCase()); }}))).text()
