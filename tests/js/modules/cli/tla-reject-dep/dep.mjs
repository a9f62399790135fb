await 0;
throw new Error('dependency tla rejected');
