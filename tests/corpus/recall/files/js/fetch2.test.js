fetch(url, { headers: { authorization: 'Basic c3ZjX29yZGVyczo0WW1ta1R0MzFxcw==' } });
