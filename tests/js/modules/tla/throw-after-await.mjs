// Throws after an await; the stack must still name this file and line.
await 0;
await null;
throw new Error('thrown after await');
