fetch(url, { headers: { authorization: 'Basic ZXRsOkhOQlEzMDMzdHNz' } });
