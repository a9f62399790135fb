with ({ w: 'with works' }) console.log(w);
