console.log('first ran');
