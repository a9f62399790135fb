new Response('{"a":1}', {status: 201, headers: {'x': '1'}}).json().then(j => new Request('http://localhost/', {method: 'POST', body: JSON.stringify(j)}).text())
