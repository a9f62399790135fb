console.log(eddy.args.join('|'));
